"""/resources/: facets with disjunctive counts, chips, sorting, paging and bad input."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.filters import ResourceFilter
from catalogue.models import Resource
from tests.factories import FollowFactory, ResourceFactory, TopicFactory
from tests.support.admin import run_action

pytestmark = pytest.mark.django_db


def titles(response) -> list[str]:
    return [r.title for r in response.context["page_obj"].object_list]


def facet(response, name: str) -> dict[str, int]:
    found = next(f for f in response.context["facets"] if f["name"] == name)
    return {option["value"]: option["count"] for option in found["options"]}


def test_without_a_query_the_order_is_curated(client, catalogue):
    """Featured first, then the most followed, then by title (not alphabetical alone)."""
    FollowFactory.create_batch(2, resource=catalogue["pod"])
    FollowFactory(resource=catalogue["blog"])
    response = client.get("/resources/")
    assert response.context["sort"] == "curated"
    assert titles(response) == [
        "openai/whisper",  # featured
        "Speech Podcast",  # 2 followers
        "Diarization Blog",  # 1 follower
        "Hugging Face",
        "Hugging Face Discord",
        "SpeechBrain",
    ]
    followed = client.get("/resources/?sort=followed")
    assert titles(followed)[:3] == ["Speech Podcast", "Diarization Blog", "openai/whisper"]
    assert '<option value="followed" selected>Most followed</option>' in followed.content.decode()


def test_lists_published_resources_by_title(client, catalogue):
    response = client.get("/resources/?sort=title")
    assert response.status_code == 200
    assert titles(response) == [
        "Diarization Blog",
        "Hugging Face",
        "Hugging Face Discord",
        "openai/whisper",
        "Speech Podcast",
        "SpeechBrain",
    ]
    assert response.context["page_obj"].paginator.count == 6


def test_values_within_a_facet_are_ored_and_facets_anded(client, catalogue):
    response = client.get("/resources/?kind=podcast&kind=repository&topic=whisper")
    assert titles(response) == ["openai/whisper"]


def test_counts_are_disjunctive(client, catalogue):
    response = client.get("/resources/?kind=repository&topic=whisper")
    # Kind counts ignore the kind selection but apply the topic one.
    assert facet(response, "kind") == {"repository": 1, "blog": 1, "discord": 1}
    # Topic counts ignore the topic selection but apply the kind one.
    assert facet(response, "topic") == {"whisper": 1}
    # Other facets apply both.
    assert facet(response, "medium") == {"code": 1}


def test_selected_values_come_first_and_show_as_removable_chips(client, catalogue):
    response = client.get("/resources/?kind=podcast&topic=diarization")
    kinds = next(f for f in response.context["facets"] if f["name"] == "kind")["options"]
    assert kinds[0]["value"] == "podcast" and kinds[0]["selected"]
    chips = response.context["chips"]
    assert [(c["facet"], c["value"]) for c in chips] == [
        ("kind", "podcast"),
        ("topic", "diarization"),
    ]
    assert chips[0]["remove_url"] == "/resources/?topic=diarization"
    html = response.content.decode()
    assert 'href="/resources/?topic=diarization"' in html
    assert ">Clear all</a>" in html


def test_a_parent_category_includes_its_children(client, catalogue):
    response = client.get("/resources/?category=communities")
    assert titles(response) == ["Diarization Blog", "Hugging Face Discord"]
    counts = facet(client.get("/resources/"), "category")
    assert counts["communities"] == 2
    assert counts["discord-servers"] == 1


def test_text_search_requires_every_word(client, catalogue):
    assert titles(client.get("/resources/?q=whisper+official")) == ["openai/whisper"]
    found = titles(client.get("/resources/?q=diarization"))
    assert set(found) >= {"Diarization Blog", "Speech Podcast"}
    assert "Draft Whisper notes" not in titles(client.get("/resources/?q=whisper"))


def test_facet_counts_follow_the_search_text(client, catalogue):
    response = client.get("/resources/?q=whisper")
    counts = facet(response, "kind")
    assert counts.get("podcast", 0) == 0
    assert counts["repository"] == 1


def test_sorting(client, catalogue):
    Resource.objects.filter(slug="speechbrain").update(created_at="2030-01-01T00:00Z")
    assert titles(client.get("/resources/?sort=newest"))[0] == "SpeechBrain"
    response = client.get("/resources/?sort=sideways")
    assert response.status_code == 200
    assert response.context["sort"] == "curated"
    assert "Unknown sort order" in response.content.decode()
    # Relevance needs a query; without one the default is the curated order.
    assert client.get("/resources/?sort=relevance").context["sort"] == "curated"
    assert client.get("/resources/?q=whisper").context["sort"] == "relevance"


def test_unknown_facet_values_are_ignored_and_reported(client, catalogue):
    response = client.get("/resources/?kind=podcast&kind=nonsense&topic=nope")
    assert response.status_code == 200
    assert titles(response) == ["Speech Podcast"]
    html = response.content.decode()
    assert "“nonsense” is not a known value" in html
    assert "“nope” is not a known value" in html


@pytest.mark.parametrize(
    ("page", "expected"),
    [("abc", 1), ("0", 1), ("-3", 1), ("2", 2), ("3", 2), ("", 1)],
)
def test_malformed_or_past_the_end_pages_give_the_nearest_page(client, catalogue, page, expected):
    for n in range(20):
        ResourceFactory(title=f"Zeta {n:02}")
    response = client.get(f"/resources/?page={page}")
    assert response.status_code == 200
    assert response.context["page_obj"].number == expected


def test_a_page_far_beyond_the_end_is_not_found(client, catalogue):
    assert client.get("/resources/?page=40").status_code == 404
    assert client.get("/resources/?page=99999999999999999999999").status_code == 404


def test_an_over_long_query_is_cut_with_a_message(client, catalogue):
    response = client.get("/resources/?q=" + "whisper " * 60)
    assert response.status_code == 200
    assert len(response.context["q"]) <= 200
    assert "cut to 200 characters" in response.content.decode()


def test_htmx_requests_get_the_results_partial(client, catalogue):
    response = client.get("/resources/?q=whisper", headers={"HX-Request": "true"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html
    assert html.lstrip().startswith('<div id="results"')
    assert 'id="result-status" hx-swap-oob="innerHTML"' in html
    assert "HX-Request" in response["Vary"]
    # A history restore gets the whole page.
    restore = client.get(
        "/resources/?q=whisper",
        headers={"HX-Request": "true", "HX-History-Restore-Request": "true"},
    )
    assert "<html" in restore.content.decode()


def test_the_page_works_without_javascript(client, catalogue):
    html = client.get("/resources/").content.decode()
    form = re.search(r'<form id="search-form"[^>]*>', html).group(0)
    assert 'method="get"' in form and 'action="/resources/"' in form
    assert '<button type="submit">Apply filters</button>' in html
    assert '<label for="q"' in html


def test_people_and_events_matching_the_query_show_above(client, catalogue):
    from tests.factories import EventFactory, PersonFactory

    PersonFactory(name="Whisper Expert")
    EventFactory(name="Whisper Summit")
    response = client.get("/resources/?q=whisper")
    assert [p.name for p in response.context["people_matches"]] == ["Whisper Expert"]
    assert [e.name for e in response.context["event_matches"]] == ["Whisper Summit"]


def test_empty_state_suggests_filters_to_drop(client, catalogue):
    response = client.get("/resources/?kind=podcast&topic=whisper")
    html = response.content.decode()
    assert "Nothing matches" in html
    assert "Try removing a filter" in html


# --- Query counts -------------------------------------------------------------------

FACETS = len(ResourceFilter.FACETS)


@pytest.mark.parametrize(
    "query",
    [
        "",
        "?kind=blog",
        "?kind=blog&kind=podcast&topic=whisper&category=communities&level=all&cost=free"
        "&cadence=weekly&medium=read&status=active",
        "?page=2",
        "?sort=newest&category=reading",
        "?q=whisper",
        "?q=hugging+face&kind=discord&topic=whisper&sort=newest",
    ],
)
def test_resources_runs_at_most_two_plus_facets_queries(client, catalogue, query):
    topic = TopicFactory()
    for n in range(45):
        ResourceFactory(title=f"Extra {n}", topics=[topic])
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/resources/" + query)
    assert response.status_code == 200
    assert len(captured) <= 2 + FACETS, [q["sql"][:120] for q in captured]


def test_query_count_does_not_grow_with_results(client, catalogue):
    from django.core.cache import cache

    with CaptureQueriesContext(connection) as few:
        client.get("/resources/")
    for n in range(60):
        ResourceFactory(title=f"More {n}", topics=[TopicFactory()])
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        client.get("/resources/")
    assert len(many) == len(few)


def test_detail_pages_run_a_constant_number_of_queries(client, catalogue):
    from tests.factories import PersonFactory, ResourcePersonFactory

    resource = catalogue["hf-discord"]
    with CaptureQueriesContext(connection) as before:
        assert client.get(resource.get_absolute_url()).status_code == 200
    for _n in range(5):
        ResourcePersonFactory(resource=resource, person=PersonFactory())
        resource.topics.add(TopicFactory())
        ResourceFactory(topics=list(resource.topics.all()))
    with CaptureQueriesContext(connection) as after:
        client.get(resource.get_absolute_url())
    assert len(after) == len(before)

    person = PersonFactory()
    with CaptureQueriesContext(connection) as before:
        assert client.get(person.get_absolute_url()).status_code == 200
    for _n in range(4):
        ResourcePersonFactory(person=person, role="author")
    with CaptureQueriesContext(connection) as after:
        client.get(person.get_absolute_url())
    assert len(after) == len(before)


def test_cached_facet_counts_follow_changes(catalogue, curator_client):
    from django.test import Client

    client = Client()

    def podcasts() -> int:
        return facet(client.get("/resources/"), "kind").get("podcast", 0)

    assert podcasts() == 1
    with CaptureQueriesContext(connection) as cached:
        client.get("/resources/")
    assert len(cached) == 0  # a visitor's results come from the cache
    ResourceFactory(kind="podcast", title="Another podcast")
    assert podcasts() == 2
    hidden = Resource.objects.get(slug="speech-podcast")
    run_action(curator_client, "unpublish", hidden)
    assert podcasts() == 1


@pytest.mark.parametrize("q", ["%%%", "-", '"', "or", "!!! ???", "-whisper"])
def test_queries_without_searchable_words_never_fail(client, catalogue, q):
    response = client.get("/resources/", {"q": q, "sort": "relevance"})
    assert response.status_code == 200


def test_the_page_is_small_and_same_origin(client, catalogue):
    """A full page of results stays within 14 KB gzip and loads nothing from elsewhere."""
    import gzip

    topic = TopicFactory()
    for n in range(45):
        ResourceFactory(
            title=f"A fairly long resource title number {n}",
            summary="A summary of realistic length about speech recognition. " * 3,
            topics=[topic],
        )
    response = client.get("/resources/?q=resource")
    assert response.status_code == 200
    html = response.content
    assert len(response.context["page_obj"].object_list) == 20
    assert len(gzip.compress(html)) <= 14 * 1024
    # What the page loads (scripts, styles, icons); the cards' "Visit" links go out.
    sources = re.findall(rb'(?:src="|<link [^>]*href=")([^"]+)"', html)
    assert sources
    assert not [s for s in sources if s.startswith((b"http:", b"https:", b"//"))]
    visits = re.findall(rb'<a class="card-visit" href="([^"]+)"', html)
    assert len(visits) == 20


@pytest.mark.parametrize("sort", ["", "title", "newest", "relevance"])
def test_search_pages_agree_whether_facets_are_cached_or_not(member_client, catalogue, sort):
    """Uncached, the ids come in the page's order and the rows by id; cached, the page
    is one ordered query. Both give the same pages. (A member: the rendered results are
    not cached for members, the facet counts are.)"""
    from django.core.cache import cache

    client = member_client
    for n in range(27):
        ResourceFactory(title=f"Speech notes {n:02}", summary=f"About speech, part {n}.")

    def pages(cold: bool) -> list[list[str]]:
        found = []
        for number in (1, 2):
            if cold:
                cache.clear()
            response = client.get("/resources/", {"q": "speech", "sort": sort, "page": number})
            assert response.status_code == 200
            found.append(titles(response))
        return found

    cold = pages(cold=True)
    client.get("/resources/", {"q": "speech", "sort": sort})  # the facets are cached now
    warm = pages(cold=False)
    assert cold == warm
    assert len(cold[0]) == 20 and len(cold[1]) >= 8
    assert not set(cold[0]) & set(cold[1])
