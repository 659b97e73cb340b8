"""/events/: upcoming editions, "expected" events, past editions, facets."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from catalogue.models import Deadline, Event
from tests.factories import (
    BookmarkFactory,
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    TopicFactory,
)
from tests.support.pages import visible_text

pytestmark = pytest.mark.django_db
URL = "/events/"


def upcoming_edition(name: str, start: dt.date, **kwargs):
    event = EventFactory(name=name, **kwargs.pop("event_kwargs", {}))
    return EditionFactory(
        event=event,
        year=start.year,
        start_date=start,
        end_date=start + dt.timedelta(days=3),
        **kwargs,
    )


def section(html: str, title: str) -> str:
    """The HTML of one page section, from its heading to the next one."""
    start = html.index(f'id="{title}"')
    end = html.find("<section", start)
    return html[start : end if end != -1 else None]


def test_it_lists_upcoming_editions_soonest_first(client, frozen):
    upcoming_edition("Later Conf", dt.date(2026, 9, 1))
    upcoming_edition("Sooner Conf", dt.date(2026, 4, 1))
    html = client.get(URL).content.decode()
    assert html.index("Sooner Conf 2026") < html.index("Later Conf 2026")


def test_it_shows_dates_city_country_and_format(client, frozen):
    upcoming_edition(
        "Speechcon", dt.date(2026, 8, 24), city="Sydney", country="Australia", format="hybrid"
    )
    html = visible_text(section(client.get(URL).content.decode(), "upcoming-title"))
    assert "24 Aug–27 Aug 2026" in html
    assert "Sydney, Australia" in html and "Hybrid" in html


def test_it_shows_the_next_deadline_in_aoe_and_utc_with_a_countdown(client, frozen):
    edition = upcoming_edition("Speechcon", dt.date(2026, 8, 24))
    DeadlineFactory(edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)))
    html = section(client.get(URL).content.decode(), "upcoming-title")
    assert "25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" in visible_text(html)
    assert 'data-countdown="2026-02-26T11:59:00+00:00">in 1\xa0month' in html


def test_it_skips_passed_deadlines_for_the_next_one(client, frozen):
    edition = upcoming_edition("Speechcon", dt.date(2026, 8, 24))
    DeadlineFactory(
        edition=edition, kind="abstract", due_at=Deadline.aoe_instant(dt.date(2026, 1, 10))
    )
    DeadlineFactory(edition=edition, kind="paper", due_at=Deadline.aoe_instant(dt.date(2026, 3, 1)))
    html = section(client.get(URL).content.decode(), "upcoming-title")
    assert "Paper submission" in html and "Abstract" not in html


def test_it_shows_expected_month_for_an_event_with_no_dated_upcoming_edition(client, frozen):
    event = EventFactory(name="Waitcon", usual_month=9)
    EditionFactory(event=event, year=2025, start_date=dt.date(2025, 9, 1))
    html = section(client.get(URL).content.decode(), "expected-title")
    assert "Waitcon" in html and "expected September" in html


def test_it_shows_expected_for_an_undated_upcoming_edition(client, frozen):
    event = EventFactory(name="Waitcon", usual_month=8, usual_month_end=9)
    EditionFactory(event=event, year=2026, start_date=None, end_date=None)
    html = client.get(URL).content.decode()
    assert "expected August–September" in html


def test_it_does_not_say_expected_when_a_dated_upcoming_edition_exists(client, frozen):
    upcoming_edition("Datedcon", dt.date(2026, 9, 1), event_kwargs={"usual_month": 9})
    html = client.get(URL).content.decode()
    assert "expected September" not in html


def test_it_shows_past_editions_after_upcoming_ones(client, frozen):
    upcoming_edition("Nextcon", dt.date(2026, 5, 1))
    old = EventFactory(name="Oldcon")
    EditionFactory(event=old, year=2025, start_date=dt.date(2025, 6, 1))
    html = client.get(URL).content.decode()
    assert "Oldcon 2025" in section(html, "past-title")
    assert html.index("Nextcon 2026") < html.index("Oldcon 2025")


def test_it_hides_unpublished_events(client, frozen):
    upcoming_edition("Secretcon", dt.date(2026, 5, 1), event_kwargs={"is_published": False})
    assert "Secretcon" not in client.get(URL).content.decode()


def test_it_treats_an_edition_ending_today_as_upcoming(client, frozen):
    event = EventFactory(name="Todaycon")
    EditionFactory(
        event=event, year=2026, start_date=dt.date(2026, 1, 12), end_date=dt.date(2026, 1, 15)
    )
    html = client.get(URL).content.decode()
    assert "Todaycon 2026" in section(html, "upcoming-title")


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("kind=industry", "Shopcon", "Papercon"),
        ("format=virtual", "Shopcon", "Papercon"),
        ("month=10", "Shopcon", "Papercon"),
        ("q=papers", "Papercon", "Shopcon"),
        ("kind=academic&kind=industry&month=5", "Papercon", "Shopcon"),
        # An unknown value is ignored; the known values beside it still filter.
        ("kind=nonsense&kind=industry", "Shopcon", "Papercon"),
        ("kind=academic&month=13", "Papercon", "Shopcon"),
    ],
)
def test_it_filters_events(client, frozen, query, shown, hidden):
    upcoming_edition(
        "Papercon",
        dt.date(2026, 5, 4),
        event_kwargs={"kind": "academic", "summary": "Where papers meet."},
    )
    upcoming_edition(
        "Shopcon",
        dt.date(2026, 10, 4),
        format="virtual",
        event_kwargs={"kind": "industry", "usual_month": 10},
    )
    html = client.get(f"{URL}?{query}").content.decode()
    assert shown in html and hidden not in html


def test_it_filters_by_topic(client, frozen):
    topic = TopicFactory(slug="diarization", name="Diarization")
    tagged = EventFactory(name="Tagcon")
    tagged.topics.add(topic)
    EventFactory(name="Othercon")
    html = client.get(f"{URL}?topic=diarization").content.decode()
    assert "Tagcon" in html and "Othercon" not in html


def test_it_matches_months_of_a_range_that_wraps_the_year(client, frozen):
    EventFactory(name="Wintercon", usual_month=11, usual_month_end=2)
    html = client.get(f"{URL}?month=12").content.decode()
    assert "Wintercon" in html


def test_facet_counts_are_disjunctive(client, frozen):
    EventFactory(kind=Event.Kind.ACADEMIC)
    EventFactory(kind=Event.Kind.INDUSTRY)
    EventFactory(kind=Event.Kind.INDUSTRY)
    kind = client.get(f"{URL}?kind=academic").context["facets"][0]
    counts = {option["value"]: option["count"] for option in kind["options"]}
    assert counts == {"academic": 1, "industry": 2}


def test_facet_counts_apply_the_other_facets(client, frozen):
    EventFactory(kind=Event.Kind.ACADEMIC, format="virtual")
    EventFactory(kind=Event.Kind.INDUSTRY, format="in-person")
    kind = client.get(f"{URL}?format=virtual").context["facets"][0]
    assert {option["value"]: option["count"] for option in kind["options"]} == {"academic": 1}


def test_selected_facet_values_come_first(client, frozen):
    EventFactory(kind=Event.Kind.ACADEMIC)
    EventFactory(kind=Event.Kind.WORKSHOP)
    kind = client.get(f"{URL}?kind=workshop").context["facets"][0]
    assert kind["options"][0]["value"] == "workshop" and kind["options"][0]["selected"]


@pytest.mark.parametrize(
    "query",
    [
        "kind=nonsense",
        "month=13",
        "month=abc",
        "topic=no-such-topic",
        "q=" + "x" * 500,
        "kind=academic&kind=academic",
        "page=-1&sort=__import__",
    ],
)
def test_bad_filter_input_never_errors(client, frozen, query):
    EventFactory()
    assert client.get(f"{URL}?{query}").status_code == 200


@pytest.mark.parametrize("query", ["format=%00", "q=%00", "q=a%00b"])
def test_nul_in_the_query_is_a_bad_request(client, frozen, query):
    """PostgreSQL text cannot hold NUL: refused before any view (asrhub.middleware)."""
    assert client.get(f"{URL}?{query}").status_code == 400


def test_it_says_which_input_was_ignored(client, frozen):
    response = client.get(f"{URL}?kind=nonsense")
    assert "Kind: “nonsense” is not a known value; it was ignored." in response.content.decode()


def test_it_keeps_the_known_topics_beside_an_unknown_one(client, frozen):
    topic = TopicFactory(slug="asr")
    EventFactory(name="Tagcon").topics.add(topic)
    EventFactory(name="Othercon")
    html = client.get(f"{URL}?topic=asr&topic=nope").content.decode()
    assert "Tagcon" in html and "Othercon" not in html


def test_the_subscribe_link_carries_the_current_filter(client, frozen):
    EventFactory()
    html = client.get(f"{URL}?kind=academic&month=9&page=2").content.decode()
    assert 'href="/events/calendar.ics?kind=academic&amp;month=9"' in html


def test_the_subscribe_link_leaves_out_ignored_values(client, frozen):
    EventFactory()
    html = client.get(f"{URL}?kind=nonsense&kind=industry&q=%20speech%20").content.decode()
    assert 'href="/events/calendar.ics?q=speech&amp;kind=industry"' in html


def test_the_subscribe_link_has_no_query_without_a_filter(client, frozen):
    html = client.get(URL).content.decode()
    assert (
        'href="/events/calendar.ics"' in html and "webcal://testserver/events/calendar.ics" in html
    )


def test_it_renders_only_the_results_for_htmx(client, frozen):
    EventFactory(name="Partialcon")
    response = client.get(URL, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "Partialcon" in html and "<html" not in html
    assert "HX-Request" in response["Vary"]


def test_it_renders_the_full_page_for_an_htmx_history_restore(client, frozen):
    response = client.get(URL, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in response.content.decode()


def test_it_includes_the_event_script_and_styles(client, frozen):
    html = client.get(URL).content.decode()
    assert "js/events.js" in html and "css/events.css" in html


def test_it_refuses_post(client):
    assert client.post(URL).status_code == 405


def make_events(count: int, start: int = 0) -> None:
    topic = TopicFactory()
    for index in range(start, start + count):
        edition = upcoming_edition(f"Upcon {index}", dt.date(2026, 3 + index % 9, 1))
        edition.event.topics.add(topic)
        DeadlineFactory(edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 2, 20)))
        EditionFactory(event=edition.event, year=2025, start_date=dt.date(2025, 5, 1))
        waiting = EventFactory(name=f"Waitcon {index}")
        waiting.topics.add(topic)
        DeadlineFactory(
            edition=EditionFactory(event=waiting, year=2026, start_date=None, end_date=None)
        )


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context.captured_queries)


@pytest.mark.parametrize("who", ["anonymous", "member"])
def test_query_count_does_not_grow_with_the_number_of_events(client, member, frozen, who):
    if who == "member":
        client.force_login(member)
    make_events(2)
    few = count_queries(client, URL)
    make_events(6, start=2)
    BookmarkFactory(user=member, resource=None, event=Event.objects.first())
    assert count_queries(client, URL) == few


def test_query_count_is_bounded(client, frozen, django_assert_max_num_queries):
    make_events(3)
    with django_assert_max_num_queries(10):
        client.get(f"{URL}?kind=academic&topic=nope&month=3&format=hybrid&q=con")
