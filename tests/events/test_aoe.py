"""Anywhere on Earth (UTC−12) deadlines: stored as the exact UTC instant, shown both ways."""

import datetime as dt

import pytest
from django.utils.html import strip_tags

from catalogue.calendars import format_due
from catalogue.models import Deadline
from tests.factories import DeadlineFactory, EditionFactory
from tests.support.pages import visible_text


def test_aoe_end_of_day_crosses_the_date_line_in_utc():
    instant = Deadline.aoe_instant(dt.date(2026, 2, 25), dt.time(23, 59, 59))
    assert instant == dt.datetime(2026, 2, 26, 11, 59, 59, tzinfo=dt.UTC)


def test_aoe_midnight_is_noon_utc_the_same_day():
    instant = Deadline.aoe_instant(dt.date(2026, 2, 25), dt.time(0, 0))
    assert instant == dt.datetime(2026, 2, 25, 12, 0, tzinfo=dt.UTC)


def test_aoe_at_the_end_of_a_leap_february_lands_in_march():
    instant = Deadline.aoe_instant(dt.date(2028, 2, 29), dt.time(23, 59))
    assert instant == dt.datetime(2028, 3, 1, 11, 59, tzinfo=dt.UTC)


def test_format_due_gives_aoe_then_utc():
    deadline = Deadline(due_at=Deadline.aoe_instant(dt.date(2026, 2, 25)), is_aoe=True)
    assert format_due(deadline) == "25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)"


def test_format_due_of_a_utc_deadline_gives_utc_only():
    deadline = Deadline(due_at=dt.datetime(2026, 2, 25, 9, 0, tzinfo=dt.UTC), is_aoe=False)
    assert format_due(deadline) == "25 Feb 2026, 09:00 UTC"


@pytest.mark.django_db
def test_the_event_page_shows_aoe_and_utc_without_javascript(client, frozen):
    edition = EditionFactory(year=2026)
    DeadlineFactory(
        edition=edition, due_at=Deadline.aoe_instant(dt.date(2026, 2, 25), dt.time(23, 59, 59))
    )
    html = client.get(edition.event.get_absolute_url()).content.decode()
    visible = visible_text(html)
    assert "25 Feb 2026, 23:59 AoE (26 Feb 2026, 11:59 UTC)" in visible
    assert '<time datetime="2026-02-26T11:59:59+00:00">' in html


@pytest.mark.django_db
def test_a_deadline_not_given_in_aoe_shows_utc_only(client, frozen):
    edition = EditionFactory(year=2026)
    DeadlineFactory(
        edition=edition, is_aoe=False, due_at=dt.datetime(2026, 3, 1, 15, 0, tzinfo=dt.UTC)
    )
    visible = strip_tags(client.get(edition.event.get_absolute_url()).content.decode())
    assert "1 Mar 2026, 15:00 UTC" in visible and "AoE" not in visible
