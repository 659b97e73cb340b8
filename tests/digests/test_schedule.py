"""Digest slots on the member's wall clock, across time zones and daylight saving."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from digests.models import MailSettings
from tests.factories import FeedEntryFactory, FollowFactory, MailSettingsFactory, UserFactory

UTC = dt.UTC


def slot(after: dt.datetime, **prefs) -> dt.datetime | None:
    return MailSettings(**prefs).next_slot(after)


def test_weekly_berlin_eight_o_clock_is_seven_utc_in_winter():
    after = dt.datetime(2027, 3, 16, 12, 0, tzinfo=UTC)  # a Tuesday
    assert slot(after, frequency="weekly", weekday=0, hour=8, time_zone="Europe/Berlin") == (
        dt.datetime(2027, 3, 22, 7, 0, tzinfo=UTC)
    )


def test_weekly_berlin_eight_o_clock_is_six_utc_after_the_clocks_go_forward():
    after = dt.datetime(2027, 3, 22, 7, 0, tzinfo=UTC)  # the slot just served
    assert slot(after, frequency="weekly", weekday=0, hour=8, time_zone="Europe/Berlin") == (
        dt.datetime(2027, 3, 29, 6, 0, tzinfo=UTC)  # CEST from 28 March
    )


def test_daily_new_york_keeps_eight_o_clock_when_the_clocks_go_back():
    sat = dt.datetime(2026, 10, 31, 12, 0, tzinfo=UTC)  # 08:00 EDT
    sun = slot(sat, frequency="daily", hour=8, time_zone="America/New_York")
    assert sun == dt.datetime(2026, 11, 1, 13, 0, tzinfo=UTC)  # 08:00 EST
    assert sun - sat == dt.timedelta(hours=25)


def test_an_hour_skipped_by_spring_forward_is_taken_with_the_old_offset():
    after = dt.datetime(2027, 3, 13, 12, 0, tzinfo=UTC)
    # 02:00 does not exist in New York on 14 March 2027; 02:00 EST is 03:00 EDT.
    assert slot(after, frequency="daily", hour=2, time_zone="America/New_York") == (
        dt.datetime(2027, 3, 14, 7, 0, tzinfo=UTC)
    )


def test_an_hour_repeated_by_fall_back_is_served_once():
    first = slot(
        dt.datetime(2026, 10, 31, 12, 0, tzinfo=UTC),
        frequency="daily",
        hour=1,
        time_zone="America/New_York",
    )
    assert first == dt.datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # 01:00 EDT (fold=0)
    after_first = slot(first, frequency="daily", hour=1, time_zone="America/New_York")
    assert after_first == dt.datetime(2026, 11, 2, 6, 0, tzinfo=UTC)  # not 01:00 EST


def test_tokyo_monday_nine_is_sunday_midnight_utc():
    after = dt.datetime(2026, 12, 6, 23, 0, tzinfo=UTC)  # Sunday 23:00 UTC = Monday 08:00 JST
    assert slot(after, frequency="weekly", weekday=0, hour=9, time_zone="Asia/Tokyo") == (
        dt.datetime(2026, 12, 7, 0, 0, tzinfo=UTC)
    )


def test_off_has_no_slot():
    assert slot(dt.datetime(2026, 12, 1, tzinfo=UTC), frequency="off") is None


@pytest.mark.django_db
def test_send_digests_follows_each_member_s_own_clock(smtp):
    start = dt.datetime(2026, 12, 6, 12, 0, tzinfo=UTC)  # Sunday noon UTC
    with time_machine.travel(start, tick=False):
        for name, zone in [("tokyo", "Asia/Tokyo"), ("lima", "America/Lima")]:
            user = UserFactory(username=name, email=f"{name}@example.org")
            prefs = MailSettingsFactory(user=user, weekday=0, hour=9, time_zone=zone)
            prefs.reschedule(start)
            prefs.save()
            follow = FollowFactory(user=user)
            FeedEntryFactory(resource=follow.resource)

    def run(at: dt.datetime) -> list[str]:
        with time_machine.travel(at, tick=False):
            call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115
        return sorted(r.rcpt_tos[0] for r in smtp.messages)

    assert run(dt.datetime(2026, 12, 6, 23, 59, tzinfo=UTC)) == []
    assert run(dt.datetime(2026, 12, 7, 0, 0, tzinfo=UTC)) == ["tokyo@example.org"]
    assert run(dt.datetime(2026, 12, 7, 13, 59, tzinfo=UTC)) == ["tokyo@example.org"]
    assert run(dt.datetime(2026, 12, 7, 14, 0, tzinfo=UTC)) == [
        "lima@example.org",
        "tokyo@example.org",
    ]
