"""Visitors' search results are rendered once per catalogue version; members' never are."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import Bookmark
from catalogue.fragments import csrf_placeholder
from catalogue.models import Event, Person
from catalogue.results_cache import MAX_CACHED_QUERY
from tests.factories import EventFactory, PersonFactory, ResourceFactory, UserFactory

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def get(client, url, **kwargs):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, **kwargs)
    assert response.status_code == 200
    return response, len(queries)


def test_a_visitor_is_served_the_cached_results_with_their_own_token(catalogue):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    url = "/resources/?kind=repository&sort=title"
    page, cold = get(first, url)
    again, warm = get(second, url)
    assert cold > 0 and warm == 0
    html = again.content.decode()
    assert "SpeechBrain" in html and "openai/whisper" in html
    assert csrf_placeholder() not in html
    tokens = set(TOKEN.findall(html))
    assert len(tokens) == 1  # one token for every bookmark form on the page
    # The token is the second visitor's: a bookmark click reaches the log-in page
    # (an anonymous bookmark), not a CSRF failure.
    response = second.post(
        "/bookmark/resource/speechbrain/", {"csrfmiddlewaretoken": tokens.pop(), "next": url}
    )
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    stale = TOKEN.findall(page.content.decode())[0]
    response = Client(enforce_csrf_checks=True).post(
        "/bookmark/resource/speechbrain/", {"csrfmiddlewaretoken": stale}
    )
    assert response.status_code == 403  # someone else's token is refused


def test_htmx_and_full_pages_are_cached_apart(client, catalogue):
    page, _ = get(client, "/resources/?q=whisper")
    partial, _ = get(client, "/resources/?q=whisper", headers={"HX-Request": "true"})
    page_again, warm = get(client, "/resources/?q=whisper")
    assert warm == 0
    assert b"<html" in page.content and b"<html" in page_again.content
    assert b"<html" not in partial.content and b'id="results"' in partial.content
    assert b'hx-swap-oob="innerHTML"' in partial.content  # the count for screen readers
    assert b'value="whisper"' in page_again.content  # the search box keeps the query


def test_any_change_to_the_catalogue_shows_at_once(client, catalogue, curator_client):
    visitor = Client()
    get(visitor, "/resources/?q=speech")
    _, warm = get(visitor, "/resources/?q=speech")
    assert warm == 0
    ResourceFactory(title="Speech Weekly", summary="Speech news.")
    response, cold = get(visitor, "/resources/?q=speech")
    assert cold > 0 and b"Speech Weekly" in response.content
    PersonFactory(name="Speech Person", headline="Works on speech")
    assert b"Speech Person" in get(visitor, "/resources/?q=speech")[0].content
    EventFactory(name="Speech Summit", full_name="Speech Summit")
    assert b"Speech Summit" in get(visitor, "/resources/?q=speech")[0].content
    Person.objects.get(name="Speech Person").delete()
    Event.objects.get(name="Speech Summit").delete()
    html = get(visitor, "/resources/?q=speech")[0].content
    assert b"Speech Person" not in html and b"Speech Summit" not in html


def test_members_see_their_own_bookmarks_never_the_cached_page(catalogue):
    visitor = Client()
    get(visitor, "/resources/")
    member = UserFactory(username="carol")
    Bookmark.objects.create(user=member, resource=catalogue["speechbrain"])
    signed_in = Client()
    signed_in.force_login(member)
    response, queries = get(signed_in, "/resources/")
    assert queries > 0
    assert "★ Bookmarked" in response.content.decode()
    assert 'class="add-to-pack"' in response.content.decode()
    # …and the visitor's cached page never shows a member's state.
    html = get(visitor, "/resources/")[0].content.decode()
    assert "★ Bookmarked" not in html and "Add to pack" not in html


def test_category_pages_are_cached_per_category(client, catalogue):
    _, cold = get(client, "/categories/reading/")
    response, warm = get(client, "/categories/reading/")
    # The category itself is looked up; its results come from the cache.
    assert warm < cold and warm <= 2
    assert b"SpeechBrain" in response.content and b"<h1>Reading</h1>" in response.content
    other, _ = get(client, "/categories/communities/")
    assert b"SpeechBrain" not in other.content and b"Diarization Blog" in other.content


def test_very_long_query_strings_are_not_cached(client, catalogue):
    url = "/resources/?" + "&".join(f"topic=t{n}" for n in range(MAX_CACHED_QUERY // 8))
    _, first = get(client, url)
    _, second = get(client, url)
    assert first > 0 and second > 0


def test_an_unknown_page_is_a_404_every_time(client, catalogue):
    assert client.get("/resources/?page=99").status_code == 404
    assert client.get("/resources/?page=99").status_code == 404


@pytest.mark.parametrize("htmx", [False, True])
def test_a_search_for_the_old_csrf_placeholder_is_shown_as_typed(client, catalogue, htmx):
    """The cached HTML's token placeholder cannot be typed: a search for the string once
    used as the placeholder is shown literally, not replaced by the visitor's token."""
    headers = {"HX-Request": "true"} if htmx else {}
    for _ in range(2):  # rendered, then served from the cache
        response, _ = get(client, "/resources/?q=__asrhub-csrf-token__", headers=headers)
        html = response.content.decode()
        assert "0</strong> resources for “__asrhub-csrf-token__”" in html
