"""The home page's "next deadlines" partial (catalogue/partials/next_deadlines.html)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string

from catalogue.models import Deadline
from tests.factories import DeadlineFactory, EditionFactory
from tests.support.pages import page_text, visible_text

pytestmark = pytest.mark.django_db
PARTIAL = "catalogue/partials/next_deadlines.html"


def render(deadlines) -> str:
    return visible_text(render_to_string(PARTIAL, {"deadlines": deadlines}))


def test_it_shows_each_deadline_in_aoe_and_utc(frozen):
    edition = EditionFactory(event__name="Speechcon", year=2026)
    DeadlineFactory(edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)))
    text = render(Deadline.objects.upcoming().select_related("edition__event")[:3])
    assert (
        "Speechcon 2026 — Paper submission: 25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" in text
    )


def test_it_shows_a_countdown_without_needing_now_in_the_context(frozen):
    DeadlineFactory(due_at=dt.datetime(2026, 1, 18, 12, tzinfo=dt.UTC))
    assert "in 3 days" in render(Deadline.objects.upcoming()[:3])


def test_it_points_to_the_events_page_when_there_are_none(db):
    assert "See conferences and when they usually happen" in render([])


def test_it_says_plainly_which_deadline_just_passed(frozen):
    edition = EditionFactory(event__name="Speechcon", year=2026)
    passed = DeadlineFactory(edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 1, 10)))
    text = visible_text(render_to_string(PARTIAL, {"deadlines": [], "just_passed": passed}))
    assert "No upcoming deadline is announced yet." in text
    assert "Just passed: Speechcon 2026 — Paper submission: 10 Jan 2026, 23:59 AoE" in text
    assert "No dated deadlines yet" not in text


def test_the_home_page_mentions_a_deadline_passed_within_three_months_only(client, frozen):
    # Frozen at 15 January 2026.
    recent = EditionFactory(event__name="Recentcon", year=2026)
    DeadlineFactory(edition=recent, due_at=dt.datetime(2025, 11, 1, tzinfo=dt.UTC))
    old = EditionFactory(event__name="Oldcon", year=2025)
    DeadlineFactory(edition=old, due_at=dt.datetime(2025, 9, 1, tzinfo=dt.UTC))
    text = page_text(client.get("/"))
    assert "Just passed: Recentcon 2026" in text
    assert "Oldcon" not in text


def test_the_home_page_lists_a_running_conference_as_happening_now(client, frozen):
    EditionFactory(
        event__name="Wintercon",
        year=2026,
        start_date=dt.date(2026, 1, 14),
        end_date=dt.date(2026, 1, 16),
        city="Oslo",
        country="Norway",
    )
    EditionFactory(event__name="Summercon", year=2026)
    text = page_text(client.get("/"))
    assert "Happening now Wintercon 2026 — until 16 Jan 2026, Oslo, Norway" in text
    assert "Coming up Summercon 2026 — 1 Sep–5 Sep 2026, Lisbon, Portugal" in text
