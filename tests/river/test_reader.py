"""The member's reader: read state, stars, mark all read, rules, counts, empty states."""

import datetime as dt

import pytest

from river.models import PostState, Reader, Rule
from tests.factories import FollowFactory, PostFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    assert response.status_code == 200
    return [p.title for p in response.context["posts"]]


def test_unread_is_the_default_and_everything_starts_unread(member_client, river):
    response = member_client.get("/me/feed/")
    assert response.context["show"] == "unread"
    assert len(titles(response)) == 4
    assert response.context["unread_total"] == 5  # the shared post counts for both sources
    assert {s.slug: s.unread for s in response.context["follows"]} == {"blog": 3, "pod": 2}


def test_mark_one_read_then_unread(member_client, member, river):
    post = river["blog-1"]
    response = member_client.post(
        f"/me/feed/{post.pk}/read/", {"action": "read", "next": "/me/feed/?show=all"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/me/feed/?show=all#post-{post.pk}"
    assert post.title not in titles(member_client.get("/me/feed/"))
    assert PostState.objects.get(user=member, post=post).is_read is True
    member_client.post(f"/me/feed/{post.pk}/read/", {"action": "unread"})
    assert post.title in titles(member_client.get("/me/feed/"))
    assert not PostState.objects.filter(user=member).exists()  # back to the default


def test_star_and_unstar(member_client, member, river):
    post = river["pod-1"]
    member_client.post(f"/me/feed/{post.pk}/star/", {"action": "star"})
    assert titles(member_client.get("/me/feed/?show=starred")) == [post.title]
    member_client.post(f"/me/feed/{post.pk}/star/", {"action": "unstar"})
    assert titles(member_client.get("/me/feed/?show=starred")) == []


def test_mark_all_read_up_to_a_post_keeps_what_came_later(member_client, member, river):
    up_to = river["pod-1"].pk
    response = member_client.post("/me/feed/read/", {"up_to": up_to})
    assert response.status_code == 302 and response["Location"] == "/me/feed/"
    assert titles(member_client.get("/me/feed/")) == ["Shared announcement"]
    assert Reader.objects.get(user=member).read_through == up_to
    member_client.post("/me/feed/read/")
    assert titles(member_client.get("/me/feed/")) == []
    assert len(titles(member_client.get("/me/feed/?show=all"))) == 4


def test_mark_all_read_clears_overrides_but_keeps_stars(member_client, member, river):
    member_client.post("/me/feed/read/")
    post = river["blog-2"]
    member_client.post(f"/me/feed/{post.pk}/read/", {"action": "unread"})
    member_client.post(f"/me/feed/{post.pk}/star/", {"action": "star"})
    assert titles(member_client.get("/me/feed/")) == [post.title]
    member_client.post("/me/feed/read/")
    assert titles(member_client.get("/me/feed/")) == []
    assert titles(member_client.get("/me/feed/?show=starred")) == [post.title]


def test_another_members_state_never_changes(member_client, other_member, river):
    blog, pod = river["blog-1"].sources.get(), river["pod-1"].sources.get()
    FollowFactory(user=other_member, resource=blog)
    PostState.objects.create(user=other_member, post=river["blog-2"], is_starred=True)
    before = list(PostState.objects.filter(user=other_member).values())
    member_client.post(f"/me/feed/{river['blog-2'].pk}/star/", {"action": "unstar"})
    member_client.post(f"/me/feed/{river['blog-2'].pk}/read/", {"action": "read"})
    member_client.post("/me/feed/read/")
    Rule.objects.create(user=other_member, action="block", phrases="whisper")
    member_client.post("/me/feed/rules/", {"action": "keep", "phrases": "ctc"})
    assert list(PostState.objects.filter(user=other_member).values()) == before
    assert not Reader.objects.filter(user=other_member).exists()
    assert Rule.objects.filter(user=other_member).count() == 1
    member_client.force_login(other_member)
    assert titles(member_client.get("/me/feed/")) == ["Shared announcement", "CTC decoding tricks"]
    assert pod  # the other member follows only the blog


@pytest.mark.parametrize(
    ("url", "data"),
    [
        ("/me/feed/{pk}/read/", {"action": "star"}),
        ("/me/feed/{pk}/read/", {}),
        ("/me/feed/{pk}/star/", {"action": "read"}),
        ("/me/feed/read/", {"up_to": "zz"}),
        ("/me/feed/read/", {"up_to": "-3"}),
    ],
)
def test_bad_input_is_400_and_changes_nothing(member_client, member, river, url, data):
    response = member_client.post(url.format(pk=river["blog-1"].pk), data)
    assert response.status_code == 400
    assert not PostState.objects.exists() and not Reader.objects.exists()


def test_unknown_posts_are_404_and_next_never_leaves_the_site(member_client, river):
    assert member_client.post("/me/feed/999999/read/", {"action": "read"}).status_code == 404
    response = member_client.post(
        f"/me/feed/{river['blog-1'].pk}/star/", {"action": "star", "next": "https://evil.example/"}
    )
    assert response["Location"] == f"/me/feed/#post-{river['blog-1'].pk}"
    for bad in ("0", "-1", "river:latest", "//evil.example/x", "javascript:alert(1)"):
        response = member_client.post("/me/feed/read/", {"next": bad})
        assert response.status_code == 302 and response["Location"] == "/me/feed/"


def test_keep_and_block_rules(member_client, member, river):
    blog = river["blog-1"].sources.get()
    Rule.objects.create(user=member, action="keep", phrases="whisper, ctc", resource=blog)
    assert titles(member_client.get("/me/feed/")) == [
        "Episode on diarization",
        "CTC decoding tricks",
        "Whisper fine-tuning notes",
    ]
    Rule.objects.create(user=member, action="block", phrases="Decoding Tricks")
    assert titles(member_client.get("/me/feed/")) == [
        "Episode on diarization",
        "Whisper fine-tuning notes",
    ]
    counts = {s.slug: s.unread for s in member_client.get("/me/feed/").context["follows"]}
    assert counts == {"blog": 1, "pod": 1}


def test_rules_page_adds_validates_and_deletes(member_client, member, other_member, river):
    response = member_client.post("/me/feed/rules/", {"action": "keep", "phrases": " , "})
    assert response.status_code == 400 and not Rule.objects.exists()
    foreign = ResourceFactory(feed_url="https://x.example/f")
    response = member_client.post(
        "/me/feed/rules/", {"action": "block", "phrases": "x", "resource": foreign.pk}
    )
    assert response.status_code == 400 and not Rule.objects.exists()
    response = member_client.post(
        "/me/feed/rules/", {"action": "keep", "phrases": "whisper,  rnn-t ,ctc"}
    )
    assert response.status_code == 302
    rule = Rule.objects.get(user=member)
    assert (rule.action, rule.phrases, rule.resource) == ("keep", "whisper, rnn-t, ctc", None)
    theirs = Rule.objects.create(user=other_member, action="keep", phrases="x")
    assert member_client.post(f"/me/feed/rules/{theirs.pk}/delete/").status_code == 404
    assert member_client.post(f"/me/feed/rules/{rule.pk}/delete/").status_code == 302
    assert list(Rule.objects.all()) == [theirs]


def test_reader_query_count_is_constant(member_client, member, river, django_assert_num_queries):
    Rule.objects.create(user=member, action="block", phrases="nothing")
    # session, user, reader, rules, follows, the member's stored states, posts, their
    # sources, their topics, capped unread counts, newest id, topic list, categories.
    with django_assert_num_queries(13):
        member_client.get("/me/feed/?show=all")
    source = ResourceFactory(feed_url="https://more.example/f")
    FollowFactory(user=member, resource=source)
    for _ in range(10):
        PostFactory(sources=[source])
    with django_assert_num_queries(13):
        member_client.get("/me/feed/?show=all")


def test_empty_state_for_a_member_who_follows_nothing(member_client):
    html = member_client.get("/me/feed/").content.decode()
    assert "You don't follow anything yet" in html and "starter pack" in html


def test_empty_state_says_what_is_followed_and_when_it_was_fetched(member_client, followed):
    blog, pod = followed
    blog.feed_checked_at = dt.datetime(2026, 11, 25, 11, 0, tzinfo=dt.UTC)
    blog.feed_error_count = 3
    blog.feed_last_error = "HTTP 500 from https://b.example/f: Traceback (most recent call last)"
    blog.save()
    html = member_client.get("/me/feed/").content.decode()
    assert "You follow 2 sources: Speech Blog, Speech Pod" in html
    assert "last checked" in html and "every 15 minutes" in html
    assert "manage.py fetch_feeds" in html
    assert "We could not reach Speech Blog lately" in html
    assert "Traceback" not in html and "HTTP 500" not in html


def test_caught_up(member_client, river):
    member_client.post("/me/feed/read/")
    river["blog-1"].sources.update(feed_checked_at=dt.datetime(2026, 11, 25, tzinfo=dt.UTC))
    assert "All caught up" in member_client.get("/me/feed/").content.decode()


def test_unread_counts_stop_at_the_cap(member_client, river, monkeypatch):
    monkeypatch.setattr("river.models.UNREAD_CAP", 2)
    monkeypatch.setattr("river.views.UNREAD_CAP", 2)
    response = member_client.get("/me/feed/")
    assert {s.slug: s.unread for s in response.context["follows"]} == {"blog": 2, "pod": 2}
    assert '2+<span class="visually-hidden"> unread</span>' in response.content.decode()


def test_for_member_is_what_one_follows_once_each(member, other_member, river):
    from catalogue.models import FeedEntry
    from river.models import Post
    from tests.factories import FeedEntryFactory

    PostFactory(title="Not followed", sources=[ResourceFactory()])
    assert set(Post.objects.for_member(member).values_list("title", flat=True)) == {
        "Whisper fine-tuning notes", "CTC decoding tricks", "Episode on diarization",
        "Shared announcement",
    }  # fmt: skip
    assert not Post.objects.for_member(other_member).exists()
    entry = FeedEntryFactory(resource=river["pod-1"].sources.get())
    FeedEntryFactory()
    assert list(FeedEntry.objects.for_member(member)) == [entry]
