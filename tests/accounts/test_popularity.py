"""Popularity counts (followers, bookmarks, public packs) kept by the write paths, shown on
cards and pages without a query per card, and the "most followed" order."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts import popularity
from accounts.models import Bookmark, Follow, StarterPack
from catalogue.models import Resource
from tests.factories import (
    BookmarkFactory,
    FollowFactory,
    PackItemFactory,
    ResourceFactory,
    StarterPackFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

FEED = "https://example.org/feed.xml"


def counts(resource: Resource) -> tuple[int, int, int]:
    resource.refresh_from_db()
    return resource.follower_count, resource.bookmark_count, resource.pack_count


def test_follow_and_unfollow_through_the_toggle_recount(member_client):
    resource = ResourceFactory(slug="asr-blog", feed_url=FEED)
    FollowFactory(resource=resource)
    assert counts(resource) == (1, 0, 0)
    response = member_client.post("/follow/asr-blog/", {"next": "/resources/"})
    assert response.status_code == 302
    assert counts(resource) == (2, 0, 0)
    member_client.post("/follow/asr-blog/", {"next": "/resources/"})
    assert counts(resource) == (1, 0, 0)


def test_anonymous_follow_changes_nothing(client):
    resource = ResourceFactory(slug="asr-blog", feed_url=FEED)
    response = client.post("/follow/asr-blog/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
    assert counts(resource) == (0, 0, 0)
    assert not Follow.objects.exists()


def test_bookmarks_count_and_uncount(member_client, member):
    resource = ResourceFactory(slug="corpus")
    response = member_client.post("/bookmark/resource/corpus/")
    assert response.status_code == 302
    assert counts(resource) == (0, 1, 0)
    member_client.post("/bookmark/resource/corpus/")
    assert counts(resource) == (0, 0, 0)
    assert not Bookmark.objects.exists()


def test_only_public_packs_count_each_once():
    resource = ResourceFactory()
    public = StarterPackFactory()
    PackItemFactory(pack=public, resource=resource)
    PackItemFactory(pack=public, resource=resource)  # twice in one pack: one pack
    assert counts(resource) == (0, 0, 1)
    private = StarterPackFactory(visibility=StarterPack.Visibility.PRIVATE)
    PackItemFactory(pack=private, resource=resource)
    assert counts(resource) == (0, 0, 1)
    private.visibility = StarterPack.Visibility.PUBLIC
    private.save()
    assert counts(resource) == (0, 0, 2)
    public.visibility = StarterPack.Visibility.UNLISTED
    public.save()
    assert counts(resource) == (0, 0, 1)
    private.delete()
    assert counts(resource) == (0, 0, 0)


def test_a_deleted_member_no_longer_counts():
    resource = ResourceFactory(feed_url=FEED)
    user = UserFactory()
    Follow.objects.create(user=user, resource=resource)
    BookmarkFactory(user=user, resource=resource)
    PackItemFactory(pack=StarterPackFactory(owner=user), resource=resource)
    assert counts(resource) == (1, 1, 1)
    user.delete()
    assert counts(resource) == (0, 0, 0)


def test_following_a_whole_pack_counts_every_new_follow(member_client):
    pack = StarterPackFactory()
    first, second = ResourceFactory(feed_url=FEED), ResourceFactory(feed_url=FEED)
    PackItemFactory(pack=pack, resource=first)
    PackItemFactory(pack=pack, resource=second)
    url = f"/me/following/pack/{pack.owner.username}/{pack.slug}/"
    assert member_client.post(url).status_code == 302
    assert counts(first) == (1, 0, 1)
    assert counts(second) == (1, 0, 1)


def test_recount_of_everything_agrees_with_the_kept_counts():
    resources = ResourceFactory.create_batch(3, feed_url=FEED)
    FollowFactory.create_batch(2, resource=resources[0])
    BookmarkFactory(resource=resources[1])
    PackItemFactory(resource=resources[2])
    kept = [counts(r) for r in resources]
    Resource.objects.update(follower_count=0, bookmark_count=0, pack_count=0)
    assert popularity.recount() == 3
    assert [counts(r) for r in resources] == kept == [(2, 0, 0), (0, 1, 0), (0, 0, 1)]
    assert popularity.recount() == 0  # nothing changed: no row written


def test_counts_on_cards_and_the_detail_page(client):
    resource = ResourceFactory(slug="busy", title="Busy", feed_url=FEED)
    FollowFactory.create_batch(3, resource=resource)
    BookmarkFactory(resource=resource)
    PackItemFactory(resource=resource)
    ResourceFactory(slug="quiet", title="Quiet")
    html = client.get("/resources/?sort=title").content.decode()
    assert '<span class="popularity">3 followers · 1 bookmark · in 1 pack</span>' in html
    assert html.count('class="popularity"') == 1  # nothing shown for no counts
    detail = client.get("/resources/busy/").content.decode()
    assert '<p class="muted popularity">3 followers · 1 bookmark · in 1 pack</p>' in detail


def page_queries(client, url: str) -> int:
    """Queries of a page rendered from scratch (no cached facets or results)."""
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("sort", ["curated", "followed"])
def test_counts_cost_no_query_per_card(client, member_client, sort):
    """The same number of queries for 20 cards with counts, follows and a moved entry
    as for 20 quiet ones, for visitors and for members (whose follows are one query)."""
    resources = ResourceFactory.create_batch(25, feed_url=FEED)
    url = f"/resources/?sort={sort}&page=2"
    visitor_before = page_queries(client, url)
    member_before = page_queries(member_client, url)
    target = ResourceFactory(url="https://new.example.org/")
    for resource in resources:
        FollowFactory(resource=resource)
        BookmarkFactory(resource=resource)
        PackItemFactory(resource=resource)
    on_page = member_client.get(url).context["page_obj"].object_list
    assert len(on_page) == 6  # 26 entries, 20 a page
    Resource.objects.filter(pk=on_page[0].pk).update(status="moved", moved_to=target)
    assert page_queries(client, url) == visitor_before
    assert page_queries(member_client, url) == member_before


def test_cards_link_out_and_a_moved_entry_to_its_new_address(client):
    target = ResourceFactory(slug="new-home", url="https://new.example.org/")
    ResourceFactory(
        title="Old home", url="https://old.example.org/", status="moved", moved_to=target
    )
    html = client.get("/resources/?q=old+home").content.decode()
    assert '<a class="card-visit" href="https://new.example.org/" rel="noopener">' in html
    assert 'href="https://old.example.org/"' not in html


def test_follow_from_a_card(member_client, member):
    resource = ResourceFactory(slug="asr-blog", title="ASR blog", feed_url=FEED)
    ResourceFactory(slug="no-feed", title="No feed")
    html = member_client.get("/resources/?sort=title").content.decode()
    assert html.count('class="follow-form"') == 1  # only entries with a feed
    assert 'action="/follow/asr-blog/"' in html
    assert "+ Follow<span" in html
    response = member_client.post(
        "/follow/asr-blog/", {"next": "/resources/?sort=title"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert "✓ Following" in response.content.decode()
    assert Follow.objects.filter(user=member, resource=resource).exists()
    html = member_client.get("/resources/?sort=title").content.decode()
    assert '✓ Following<span class="visually-hidden"> ASR blog</span>' in html


def test_an_edit_does_not_write_back_a_stale_count():
    resource = ResourceFactory(feed_url=FEED)
    stale = Resource.objects.get(pk=resource.pk)  # read before the follow, as a form would
    FollowFactory(resource=resource)
    stale.summary = "Edited."
    stale.save()
    assert counts(resource) == (1, 0, 0)
