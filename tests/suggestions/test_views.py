"""Members suggest entries and report problems; the daily limit; their suggestions page."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from suggestions.models import DAILY_LIMIT, Suggestion
from tests.factories import EventFactory, PersonFactory, ResourceFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 12, 0, tzinfo=dt.UTC)
NEW = {
    "title": "Parakeet TDT",
    "url": "https://huggingface.co/nvidia/parakeet-tdt-0.6b-v2",
    "entry_kind": "model",
    "message": "A fast English ASR model with a permissive licence.",
    "credit_publicly": "on",
}
CORRECTION = {
    "message": "The project moved to a new address.",
    "evidence_url": "https://github.com/SYSTRAN/faster-whisper",
}


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


# --- Anonymous visitors ------------------------------------------------------------


@pytest.mark.parametrize("path", ["/suggest/", "/suggest/resource/blog/", "/me/suggestions/"])
def test_it_sends_anonymous_visitors_to_log_in_and_back(client, path):
    ResourceFactory(slug="blog")
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={path}"


def test_it_saves_nothing_for_an_anonymous_post(client):
    response = client.post("/suggest/", NEW)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    assert not Suggestion.objects.exists()


# --- A new entry -------------------------------------------------------------------


def test_it_shows_the_suggestion_form(member_client):
    response = member_client.get("/suggest/")
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="title"' in html and 'name="entry_kind"' in html
    assert 'name="credit_publicly"' in html and "checked" in html


def test_it_files_a_new_entry_and_shows_it_to_its_member(member_client, member, frozen):
    response = member_client.post("/suggest/", NEW)
    assert response.status_code == 302
    assert response["Location"] == "/me/suggestions/"
    suggestion = Suggestion.objects.get()
    assert (suggestion.member, suggestion.kind, suggestion.status) == (member, "new", "pending")
    assert (suggestion.title, suggestion.url, suggestion.entry_kind) == (
        "Parakeet TDT",
        NEW["url"],
        "model",
    )
    assert suggestion.credit_publicly is True
    assert suggestion.created_at == NOW
    page = member_client.get("/me/suggestions/").content.decode()
    assert "Parakeet TDT" in page and "Pending" in page


def test_it_records_an_opt_out_of_public_credit(member_client):
    data = {k: v for k, v in NEW.items() if k != "credit_publicly"}
    assert member_client.post("/suggest/", data).status_code == 302
    assert Suggestion.objects.get().credit_publicly is False


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("url", "not a url"),
        ("url", "javascript:alert(1)"),
        ("url", "ftp://files.example/asr"),
        ("url", "https://exa\x00mple.org/"),
        ("url", "https://example.org/a\x01b"),
        ("url", "https://example.org/" + "a" * 500),
        ("title", "Null\x00byte"),
        ("title", "Bell\x07"),
        ("title", "Two\nlines"),
        ("title", ""),
        ("message", "Escape \x1b[31m"),
        ("message", "x" * 2001),
        ("entry_kind", "spaceship"),
    ],
)
def test_it_rejects_bad_input_with_a_form_error_and_saves_nothing(member_client, field, value):
    response = member_client.post("/suggest/", {**NEW, field: value})
    assert response.status_code == 400
    if "\x00" not in value:  # NUL is refused before any view (asrhub.middleware)
        assert response.context["form"].errors[field]
    assert not Suggestion.objects.exists()


def test_it_keeps_line_breaks_in_the_message(member_client):
    assert member_client.post("/suggest/", {**NEW, "message": "One.\r\nTwo."}).status_code == 302
    assert Suggestion.objects.get().message == "One.\r\nTwo."


def test_it_says_when_the_address_is_already_listed(member_client):
    ResourceFactory(title="Parakeet", url="https://huggingface.co/nvidia/parakeet-tdt-0.6b-v2")
    response = member_client.post("/suggest/", {**NEW, "url": NEW["url"].replace("https", "http")})
    assert response.status_code == 400
    assert "already lists this address as “Parakeet”" in response.content.decode()
    assert not Suggestion.objects.exists()


# --- A correction ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "factory"),
    [("resource", ResourceFactory), ("person", PersonFactory), ("event", EventFactory)],
)
def test_every_entry_page_links_to_a_correction_form_tied_to_it(
    member_client, member, kind, factory
):
    entry = factory(slug="the-entry")
    page = member_client.get(entry.get_absolute_url()).content.decode()
    assert f'href="/suggest/{kind}/the-entry/"' in page
    assert "Report a problem" in page
    form = member_client.get(f"/suggest/{kind}/the-entry/")
    assert form.status_code == 200
    assert f"Report a problem with {entry}" in form.content.decode()
    response = member_client.post(f"/suggest/{kind}/the-entry/", CORRECTION)
    assert response.status_code == 302
    suggestion = Suggestion.objects.get()
    assert (suggestion.kind, suggestion.member, suggestion.target) == ("correction", member, entry)
    assert suggestion.evidence_url == CORRECTION["evidence_url"]


def test_it_asks_for_evidence_with_a_correction(member_client):
    ResourceFactory(slug="blog")
    response = member_client.post("/suggest/resource/blog/", {"message": "Wrong."})
    assert response.status_code == 400
    assert response.context["form"].errors["evidence_url"]
    assert not Suggestion.objects.exists()


@pytest.mark.parametrize(
    "path", ["/suggest/resource/nope/", "/suggest/spaceship/blog/", "/suggest/person/blog/"]
)
def test_it_answers_404_for_an_unknown_entry(member_client, path):
    ResourceFactory(slug="blog")
    assert member_client.post(path, CORRECTION).status_code == 404
    assert not Suggestion.objects.exists()


def test_it_answers_404_for_an_unpublished_entry(member_client):
    ResourceFactory(slug="draft", is_published=False)
    assert member_client.get("/suggest/resource/draft/").status_code == 404


# --- The daily limit ---------------------------------------------------------------


def test_it_refuses_the_eleventh_suggestion_in_a_day_with_a_clear_message(
    member_client, member, frozen
):
    SuggestionFactory.create_batch(DAILY_LIMIT - 1, member=member)
    assert member_client.post("/suggest/", NEW).status_code == 302
    assert Suggestion.objects.count() == DAILY_LIMIT
    response = member_client.post("/suggest/", {**NEW, "url": "https://another.example/"})
    assert response.status_code == 429
    assert "You have sent 10 suggestions in the last 24 hours" in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert Suggestion.objects.count() == DAILY_LIMIT


def test_the_limit_counts_corrections_too(member_client, member, frozen):
    ResourceFactory(slug="blog")
    SuggestionFactory.create_batch(DAILY_LIMIT, member=member)
    response = member_client.post("/suggest/resource/blog/", CORRECTION)
    assert response.status_code == 429
    assert Suggestion.objects.count() == DAILY_LIMIT


def test_the_limit_is_per_member_and_over_24_hours(member_client, member, other_member, frozen):
    SuggestionFactory.create_batch(DAILY_LIMIT, member=other_member)
    SuggestionFactory.create_batch(
        DAILY_LIMIT, member=member, created_at=timezone.now() - dt.timedelta(hours=24)
    )
    assert member_client.post("/suggest/", NEW).status_code == 302


def test_the_form_warns_when_the_limit_is_reached(member_client, member, frozen):
    SuggestionFactory.create_batch(DAILY_LIMIT, member=member)
    html = member_client.get("/suggest/").content.decode()
    assert "You have sent the most suggestions we take in a day" in html


# --- /me/suggestions/ --------------------------------------------------------------


def test_the_member_sees_each_outcome(member_client, member, curator):
    entry = ResourceFactory(title="Listed Blog")
    SuggestionFactory(member=member, title="Waiting")
    SuggestionFactory(member=member, title="Taken").accept(curator, entry=entry)
    SuggestionFactory(member=member, title="Refused").reject(curator, "Not about speech.")
    SuggestionFactory(member=member, title="Again").mark_duplicate(curator, entry=entry)
    html = member_client.get("/me/suggestions/").content.decode()
    assert "Waiting" in html and "Pending" in html
    assert "Accepted</span> — now at" in html and 'href="/resources/' in html
    assert "Rejected</span> — Not about speech." in html
    assert "already listed as" in html


def test_the_list_runs_a_constant_number_of_queries(
    member_client, member, curator, django_assert_num_queries
):
    for _ in range(6):
        SuggestionFactory(member=member).accept(curator, entry=ResourceFactory())
        ResourceFactory(slug=f"r-{_}")
    # session, user, count for the limit, paginator count, the page
    with django_assert_num_queries(5):
        assert member_client.get("/me/suggestions/").status_code == 200


def test_a_members_suggestion_is_hidden_from_others(other_client, member):
    suggestion = SuggestionFactory(member=member, title="Mine only")
    response = other_client.get(f"/me/suggestions/{suggestion.pk}/")
    assert response.status_code == 404
    assert "Mine only" not in other_client.get("/me/suggestions/").content.decode()


def test_the_owner_sees_a_suggestions_details(member_client, member):
    suggestion = SuggestionFactory(member=member, message="Because it is great.")
    response = member_client.get(f"/me/suggestions/{suggestion.pk}/")
    assert response.status_code == 200
    assert "Because it is great." in response.content.decode()


def test_the_header_offers_members_a_suggestion_link(member_client, client):
    assert 'href="/suggest/">Suggest an entry</a>' in member_client.get("/").content.decode()


def test_the_header_has_no_suggestion_link_for_visitors(client, db):
    assert "Suggest an entry" not in client.get("/").content.decode()
