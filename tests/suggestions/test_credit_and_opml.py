"""“Suggested by” on an accepted entry's page, and feeds from OPML imports as suggestions."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import Follow
from suggestions.models import DAILY_LIMIT, Suggestion
from suggestions.services import suggest_feeds, url_variants
from tests.factories import ResourceFactory, SuggestionFactory, UserFactory

pytestmark = pytest.mark.django_db


# --- Credit ------------------------------------------------------------------------


def test_an_accepted_entry_credits_its_member(client, curator):
    alice = UserFactory(username="alice", display_name="Alice A.")
    entry = ResourceFactory(slug="parakeet")
    SuggestionFactory(member=alice).accept(curator, entry=entry)
    html = client.get("/resources/parakeet/").content.decode()
    assert 'Suggested by <a href="/members/alice/">Alice A.</a>' in html


def test_a_member_who_opted_out_is_not_credited(client, curator, member):
    entry = ResourceFactory(slug="parakeet")
    SuggestionFactory(member=member, credit_publicly=False).accept(curator, entry=entry)
    assert "Suggested by" not in client.get("/resources/parakeet/").content.decode()


@pytest.mark.parametrize("outcome", ["pending", "rejected", "duplicate", "correction"])
def test_only_an_accepted_new_entry_credits(client, curator, member, outcome):
    entry = ResourceFactory(slug="parakeet")
    if outcome == "pending":
        SuggestionFactory(member=member, resource=entry)
    elif outcome == "rejected":
        SuggestionFactory(member=member, resource=entry).reject(curator, "No.")
    elif outcome == "duplicate":
        SuggestionFactory(member=member).mark_duplicate(curator, entry=entry)
    else:
        SuggestionFactory(member=member, kind="correction", resource=entry).accept(curator)
    assert "Suggested by" not in client.get("/resources/parakeet/").content.decode()


def test_the_credit_costs_one_query(client, curator, member, django_assert_num_queries):
    from django.template import Context, Template

    entry = ResourceFactory()
    SuggestionFactory(member=member).accept(curator, entry=entry)
    template = Template("{% load suggestions_tags %}{% suggested_by resource %}")
    with django_assert_num_queries(1):
        assert "Suggested by" in template.render(Context({"resource": entry}))


# --- OPML --------------------------------------------------------------------------


def opml(*urls: str) -> SimpleUploadedFile:
    body = "".join(f'<outline type="rss" text="x" xmlUrl="{url}"/>' for url in urls)
    content = f'<?xml version="1.0"?><opml version="2.0"><body>{body}</body></opml>'
    return SimpleUploadedFile("subs.opml", content.encode(), content_type="text/x-opml")


def test_an_opml_import_suggests_the_feeds_the_catalogue_lacks(member_client, member):
    known = ResourceFactory(feed_url="https://known.example/feed.xml")
    response = member_client.post(
        "/me/following/import/",
        {"file": opml("https://known.example/feed.xml", "https://new.example/rss")},
    )
    assert response.status_code == 200
    assert list(Follow.objects.filter(user=member).values_list("resource", flat=True)) == [known.pk]
    suggestion = Suggestion.objects.get()
    assert (suggestion.member, suggestion.kind, suggestion.source, suggestion.url) == (
        member,
        "new",
        "opml",
        "https://new.example/rss",
    )
    assert suggestion.title == "Feed at new.example"
    assert "1 of these was sent to the curators" in response.content.decode()
    assert suggestion.resource_initial()["feed_url"] == "https://new.example/rss"


def test_an_opml_import_suggests_each_feed_once(member, other_member):
    SuggestionFactory(member=other_member, url="https://old.example/rss")
    ResourceFactory(url="https://site.example/", is_published=False)
    result = suggest_feeds(
        member,
        [
            "https://new.example/rss",
            "http://www.new.example/rss/",
            "https://old.example/rss",
            "https://site.example",
            "javascript:alert(1)",
            "https://bad.example/\x01",
            "not a url",
        ],
    )
    assert result.sent == ["https://new.example/rss"]
    assert result.already_suggested == ["https://old.example/rss", "https://site.example"]
    assert Suggestion.objects.filter(member=member).count() == 1


def test_an_opml_import_keeps_to_the_daily_limit(member_client, member):
    SuggestionFactory.create_batch(DAILY_LIMIT - 2, member=member)
    urls = [f"https://feed{i}.example/rss" for i in range(5)]
    response = member_client.post("/me/following/import/", {"file": opml(*urls)})
    assert response.status_code == 200
    assert Suggestion.objects.filter(member=member).count() == DAILY_LIMIT
    assert (
        list(Suggestion.objects.filter(source="opml").order_by("pk").values_list("url", flat=True))
        == urls[:2]
    )
    assert "3 were not sent: you reached today" in response.content.decode()


def test_url_variants_cover_scheme_www_and_final_slash():
    variants = url_variants("http://www.Example.org/feed/")
    assert {"https://example.org/feed", "http://www.example.org/feed/"} <= variants
    assert "https://example.org/?q=1" in url_variants("http://www.example.org?q=1")
    assert "https://example.org:8443/a" in url_variants("https://example.org:8443/a/")
    assert len(url_variants("https://example.org/a")) == 8


def test_an_opml_import_looks_up_feeds_in_a_constant_number_of_queries(
    member, django_assert_num_queries
):
    ResourceFactory(feed_url="https://feed3.example/rss")
    urls = [f"https://feed{i}.example/rss" for i in range(300)]
    # savepoint, lock, limit count, 3 lookups per 500 addresses (200 feeds × 8), insert, release
    with django_assert_num_queries(1 + 1 + 1 + 3 * 4 + 1 + 1):
        result = suggest_feeds(member, urls)
    assert result.already_suggested == ["https://feed3.example/rss"]
    assert len(result.sent) == DAILY_LIMIT and len(result.over_limit) == 200 - 1 - DAILY_LIMIT
