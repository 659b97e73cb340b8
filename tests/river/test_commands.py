"""generate_posts (set-based synthetic posts) and prune_river (retention)."""

import datetime as dt

import pytest
import time_machine
from django.core.management import CommandError, call_command

from river.models import Post, PostSource, PostState, PostTopic
from tests.factories import PostFactory, ResourceFactory, TopicFactory, UserFactory

pytestmark = pytest.mark.django_db
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def test_generate_posts_creates_n_posts_with_sources_and_topics():
    TopicFactory.create_batch(3)
    call_command("generate_posts", "--posts", "200", "--sources", "10")
    assert Post.objects.count() == 200
    # Every post has one source; one in twenty a second (cross-listed).
    assert PostSource.objects.count() == 210
    assert PostTopic.objects.count() == 200 + 66
    assert set(Post.objects.values_list("kind", flat=True)) == {
        "paper", "release", "blog", "episode", "video", "discussion"
    }  # fmt: skip
    newest = Post.objects.newest().first()
    assert newest.guid == "synthetic:200"  # number 200: source 0, and 1 as a cross-listing
    assert sorted(newest.sources.values_list("slug", flat=True)) == [
        "synthetic-source-0",
        "synthetic-source-1",
    ]
    call_command("generate_posts", "--posts", "50", "--sources", "10")  # tops up
    assert Post.objects.count() == 250
    call_command("generate_posts", "--delete")
    assert not Post.objects.exists()


def test_generate_posts_refuses_nonsense():
    with pytest.raises(CommandError):
        call_command("generate_posts", "--posts", "0")


def test_prune_keeps_recent_and_starred_posts(settings):
    settings.ASRHUB_RIVER_RETENTION_DAYS = 30
    source = ResourceFactory()
    member = UserFactory()
    old = PostFactory(title="old", sources=[source], published_at=NOW - dt.timedelta(days=31))
    starred = PostFactory(
        title="old but starred", sources=[source], published_at=NOW - dt.timedelta(days=400)
    )
    recent = PostFactory(title="recent", sources=[source], published_at=NOW - dt.timedelta(days=29))
    PostState.objects.create(user=member, post=starred, is_starred=True)
    PostState.objects.create(user=member, post=old, is_read=True)
    with time_machine.travel(NOW, tick=False):
        call_command("prune_river")
    assert set(Post.objects.values_list("title", flat=True)) == {"old but starred", "recent"}
    assert list(PostState.objects.values_list("post__title", "is_starred")) == [
        ("old but starred", True)
    ]
    assert recent.post_sources.count() == 1
