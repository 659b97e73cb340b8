"""Bookmarks: toggles on every kind of entry, htmx and plain, and the login round trip."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import Bookmark
from tests.factories import (
    BookmarkFactory,
    EventFactory,
    PersonFactory,
    ResourceFactory,
    TopicFactory,
)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "factory"),
    [("resource", ResourceFactory), ("person", PersonFactory), ("event", EventFactory)],
)
def test_toggle_bookmarks_any_kind_of_entry(member_client, member, kind, factory):
    obj = factory()
    url = f"/bookmark/{kind}/{obj.slug}/"
    response = member_client.post(url, {"next": "/resources/"})
    assert response.status_code == 302 and response["Location"] == "/resources/"
    assert Bookmark.objects.filter(user=member, **{kind: obj}).count() == 1
    member_client.post(url)
    assert not Bookmark.objects.filter(user=member).exists()


def test_htmx_toggle_returns_the_button(member_client, member):
    resource = ResourceFactory(title="Whisper")
    response = member_client.post(
        f"/bookmark/resource/{resource.slug}/", headers={"HX-Request": "true"}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'aria-pressed="true"' in html and "★ Bookmarked" in html
    assert "<html" not in html


def test_toggle_is_post_only_and_needs_a_real_entry(member_client, member):
    resource = ResourceFactory()
    assert member_client.get(f"/bookmark/resource/{resource.slug}/").status_code == 405
    assert member_client.post("/bookmark/resource/nope/").status_code == 404
    assert member_client.post(f"/bookmark/widget/{resource.slug}/").status_code == 404
    hidden = ResourceFactory(is_published=False)
    assert member_client.post(f"/bookmark/resource/{hidden.slug}/").status_code == 404
    assert not Bookmark.objects.exists()


def test_toggle_needs_the_csrf_token(member):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(member)
    resource = ResourceFactory()
    assert client.post(f"/bookmark/resource/{resource.slug}/").status_code == 403
    assert not Bookmark.objects.exists()


def test_an_anonymous_click_logs_in_and_comes_back_with_the_bookmark_made(client, member):
    resource = ResourceFactory(title="Whisper")
    page = "/resources/?q=whisper"
    response = client.post(f"/bookmark/resource/{resource.slug}/", {"next": page})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Bookmark.objects.exists()
    response = client.post(
        response["Location"],
        {"username": "alice", "password": "correct horse battery staple", "next": page},
    )
    assert response.status_code == 302 and response["Location"] == page
    assert Bookmark.objects.filter(user=member, resource=resource).exists()


def resources_listed(response) -> list[str]:
    return [r.title for r in response.context["page_obj"].object_list]


def test_bookmark_list_is_newest_first_with_the_search_facets(member_client, member):
    older = BookmarkFactory(user=member, resource=ResourceFactory(title="Older", kind="blog"))
    BookmarkFactory(user=member, resource=ResourceFactory(title="Newer", kind="podcast"))
    Bookmark.objects.filter(pk=older.pk).update(created_at="2020-01-01T00:00Z")
    BookmarkFactory(user=member, resource=None, person=PersonFactory(name="Someone"))
    BookmarkFactory(resource=ResourceFactory(title="Not mine"))
    response = member_client.get("/me/bookmarks/")
    assert resources_listed(response) == ["Newer", "Older"]
    assert [b.person.name for b in response.context["others"]] == ["Someone"]
    assert "Not mine" not in response.content.decode()
    kinds = next(f for f in response.context["facets"] if f["name"] == "kind")
    assert {o["value"]: o["count"] for o in kinds["options"]} == {"blog": 1, "podcast": 1}
    only = member_client.get("/me/bookmarks/?kind=podcast")
    assert resources_listed(only) == ["Newer"]
    assert resources_listed(member_client.get("/me/bookmarks/?sort=title")) == ["Newer", "Older"]
    assert member_client.get("/me/bookmarks/?kind=zzz&sort=zzz&page=x").status_code == 200


def test_bookmark_list_filters_by_topic_and_text_including_notes(member_client, member):
    streaming = TopicFactory(name="Streaming", slug="streaming")
    tagged = ResourceFactory(title="Low latency blog", topics=[streaming])
    person = PersonFactory(name="Streaming person")
    person.topics.add(streaming)
    plain = ResourceFactory(title="Plain podcast")
    BookmarkFactory(user=member, resource=tagged)
    BookmarkFactory(user=member, resource=None, person=person)
    BookmarkFactory(user=member, resource=plain, note="remember the latency episode")
    by_topic = member_client.get("/me/bookmarks/?topic=streaming")
    assert resources_listed(by_topic) == ["Low latency blog"]
    assert [b.person for b in by_topic.context["others"]] == [person]
    by_text = member_client.get("/me/bookmarks/?q=latency")
    assert sorted(resources_listed(by_text)) == ["Low latency blog", "Plain podcast"]
    nothing = member_client.get("/me/bookmarks/?topic=nope&q=" + "x" * 5000)
    assert nothing.status_code == 200
    assert resources_listed(nothing) == []


def test_bookmark_list_htmx_partial(member_client, member):
    BookmarkFactory(user=member, resource=ResourceFactory(title="Saved"))
    response = member_client.get("/me/bookmarks/?q=saved", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html and "Saved" in html


def test_private_notes_are_saved_and_limited(member_client, member, other_member):
    bookmark = BookmarkFactory(user=member)
    member_client.post(f"/me/bookmarks/{bookmark.pk}/note/", {"note": "Read the diarization post"})
    bookmark.refresh_from_db()
    assert bookmark.note == "Read the diarization post"
    member_client.post(f"/me/bookmarks/{bookmark.pk}/note/", {"note": "x" * 1001})
    bookmark.refresh_from_db()
    assert bookmark.note == "Read the diarization post"
    theirs = BookmarkFactory(user=other_member, note="theirs")
    assert member_client.post(f"/me/bookmarks/{theirs.pk}/note/", {"note": "x"}).status_code == 404
    theirs.refresh_from_db()
    assert theirs.note == "theirs"


def test_cards_do_not_query_per_card(member_client, member):
    for n in range(5):
        BookmarkFactory(user=member, resource=ResourceFactory(title=f"A{n}"))
    with CaptureQueriesContext(connection) as few:
        member_client.get("/resources/")
    for n in range(30):
        ResourceFactory(title=f"More {n}")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = member_client.get("/resources/")
    assert len(many) == len(few)
    assert response.content.decode().count("★ Bookmarked") == 5
