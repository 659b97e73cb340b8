"""The home page's "next deadlines" partial (catalogue/partials/next_deadlines.html)."""

import datetime as dt

import pytest
from django.template.loader import render_to_string
from django.utils.html import strip_tags

from catalogue.models import Deadline
from tests.factories import DeadlineFactory, EditionFactory

pytestmark = pytest.mark.django_db
PARTIAL = "catalogue/partials/next_deadlines.html"


def render(deadlines) -> str:
    return " ".join(strip_tags(render_to_string(PARTIAL, {"deadlines": deadlines})).split())


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
