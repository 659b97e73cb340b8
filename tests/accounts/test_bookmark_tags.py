"""Bookmarks: one empty state, the collapsed note-and-tags control, tags and their pages."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from accounts.models import BookmarkTag
from tests.factories import BookmarkFactory, EventFactory, PersonFactory, ResourceFactory

pytestmark = pytest.mark.django_db


def test_no_bookmarks_shows_one_empty_state_and_no_facets(member_client):
    html = member_client.get("/me/bookmarks/").content.decode()
    assert html.count('class="empty-state"') == 1
    assert "<h2>No bookmarks yet</h2>" in html
    assert "No values here" not in html
    assert 'class="facet"' not in html
    assert 'id="search-form"' not in html and 'form="search-form"' not in html


def test_a_search_with_no_match_still_shows_the_search(member_client, member):
    BookmarkFactory(user=member, resource=ResourceFactory(title="Whisper"))
    html = member_client.get("/me/bookmarks/?q=nothingmatches").content.decode()
    assert 'id="search-form"' in html and "No bookmarks yet" not in html


def test_the_note_is_a_collapsed_control_on_each_card(member_client, member):
    bookmark = BookmarkFactory(user=member, resource=ResourceFactory(title="Whisper"))
    html = member_client.get("/me/bookmarks/").content.decode()
    control = re.search(r'<details class="note-control">.*?</details>', html, re.S).group(0)
    assert "<summary>Add a note or tags" in control
    assert f'action="/me/bookmarks/{bookmark.pk}/edit/"' in control
    assert f'<label for="note-{bookmark.pk}">Private note</label>' in control
    assert f'<label for="tags-{bookmark.pk}">Tags</label>' in control
    assert "<details open" not in html


def test_save_a_note_and_tags_then_filter_by_tag(member_client, member):
    whisper = BookmarkFactory(user=member, resource=ResourceFactory(title="Whisper"))
    person = BookmarkFactory(user=member, resource=None, person=PersonFactory(name="Ada"))
    BookmarkFactory(user=member, resource=ResourceFactory(title="Untagged"))
    response = member_client.post(
        f"/me/bookmarks/{whisper.pk}/edit/",
        {"note": "Start here", "tag_names": "To read,  diarization, to read"},
    )
    assert response.status_code == 302
    assert response["Location"] == f"/me/bookmarks/#bookmark-{whisper.pk}"
    member_client.post(f"/me/bookmarks/{person.pk}/edit/", {"note": "", "tag_names": "to read"})
    whisper.refresh_from_db()
    assert whisper.note == "Start here"
    assert sorted(t.slug for t in whisper.tags.all()) == ["diarization", "to-read"]
    page = member_client.get("/me/bookmarks/tags/to-read/")
    html = page.content.decode()
    assert page.status_code == 200
    assert {"private", "no-cache"} <= set(page["Cache-Control"].split(", "))
    assert ">Whisper</a>" in html and ">Ada</a>" in html and "Untagged" not in html
    listing = member_client.get("/me/bookmarks/").content.decode()
    assert (
        '<a class="tag" href="/me/bookmarks/tags/to-read/">To read <span class="count">2</span>'
        in listing
    )


def test_removing_a_tag_from_its_last_bookmark_deletes_it(member_client, member):
    bookmark = BookmarkFactory(user=member)
    member_client.post(f"/me/bookmarks/{bookmark.pk}/edit/", {"tag_names": "old"})
    member_client.post(f"/me/bookmarks/{bookmark.pk}/edit/", {"tag_names": "new"})
    assert list(BookmarkTag.objects.values_list("slug", flat=True)) == ["new"]


@pytest.mark.parametrize(
    "tag_names",
    ["x" * 41, ", ".join(f"t{n}" for n in range(11)), "!!!", "fine, \x00bad"],
)
def test_bad_tags_are_refused_and_change_nothing(member_client, member, tag_names):
    bookmark = BookmarkFactory(user=member, note="kept")
    response = member_client.post(
        f"/me/bookmarks/{bookmark.pk}/edit/", {"note": "changed", "tag_names": tag_names}
    )
    # NUL is refused before any view (asrhub.middleware); the rest with a message.
    assert response.status_code == (400 if "\x00" in tag_names else 302)
    bookmark.refresh_from_db()
    assert bookmark.note == "kept" and not bookmark.tags.exists()
    assert not BookmarkTag.objects.exists()


def test_tags_are_private_to_their_member(client, member, other_member):
    mine = BookmarkFactory(user=member)
    client.force_login(member)
    client.post(f"/me/bookmarks/{mine.pk}/edit/", {"tag_names": "secret"})
    client.force_login(other_member)
    assert client.get("/me/bookmarks/tags/secret/").status_code == 404
    response = client.post(f"/me/bookmarks/{mine.pk}/edit/", {"tag_names": "mine now"})
    assert response.status_code == 404
    assert [t.slug for t in mine.tags.all()] == ["secret"]


def test_editing_is_post_only_and_needs_a_login(client, member):
    bookmark = BookmarkFactory(user=member)
    assert client.post(f"/me/bookmarks/{bookmark.pk}/edit/", {"note": "x"}).status_code == 302
    client.force_login(member)
    assert client.get(f"/me/bookmarks/{bookmark.pk}/edit/").status_code == 405
    bookmark.refresh_from_db()
    assert bookmark.note == ""


def test_tags_do_not_query_per_card(member_client, member):
    def tagged(n: int) -> None:
        for i in range(n):
            bookmark = BookmarkFactory(user=member, resource=ResourceFactory(title=f"R{i}"))
            member_client.post(f"/me/bookmarks/{bookmark.pk}/edit/", {"tag_names": f"t{i}, all"})
        event = BookmarkFactory(user=member, resource=None, event=EventFactory())
        member_client.post(f"/me/bookmarks/{event.pk}/edit/", {"tag_names": "all"})

    tagged(2)
    with CaptureQueriesContext(connection) as few:
        member_client.get("/me/bookmarks/")
    tagged(6)
    with CaptureQueriesContext(connection) as many:
        response = member_client.get("/me/bookmarks/")
    assert response.content.decode().count('<details class="note-control">') == 10
    assert len(many) == len(few)
