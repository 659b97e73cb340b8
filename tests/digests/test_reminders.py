"""Deadline reminders: 7 days and 1 day before, once each; a moved date, one notice."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command

from catalogue.models import Deadline
from digests.models import MailSettings, ReminderSent
from tests.digests.conftest import text_of
from tests.factories import (
    BookmarkFactory,
    DeadlineFactory,
    EditionFactory,
    EventFactory,
    FollowFactory,
    MailSettingsFactory,
    OrganisationFactory,
    UserFactory,
)

pytestmark = pytest.mark.django_db

DUE = dt.datetime(2027, 3, 2, 11, 59, tzinfo=dt.UTC)  # 1 March 23:59 AoE


@pytest.fixture
def deadline(db) -> Deadline:
    event = EventFactory(name="ICASSP", slug="icassp")
    edition = EditionFactory(event=event, year=2027, name="ICASSP 2027")
    return DeadlineFactory(edition=edition, kind="paper", due_at=DUE, is_aoe=True)


@pytest.fixture
def member(deadline):
    user = UserFactory(username="ada", email="ada@example.org")
    MailSettingsFactory(user=user, frequency="off")
    BookmarkFactory(user=user, resource=None, event=deadline.edition.event)
    return user


def run(at: dt.datetime) -> None:
    with time_machine.travel(at, tick=False):
        call_command("send_digests", stdout=open("/dev/null", "w"))  # noqa: SIM115


def subjects(smtp) -> list[str]:
    return [m["Subject"] for m in smtp.to("ada@example.org")]


def test_nothing_eight_days_before(member, smtp):
    run(DUE - dt.timedelta(days=8))
    assert smtp.messages == []


def test_a_week_reminder_then_a_day_reminder_each_once(member, smtp):
    for at in [
        DUE - dt.timedelta(days=7),
        DUE - dt.timedelta(days=6),
        DUE - dt.timedelta(days=2),
        DUE - dt.timedelta(days=1),
        DUE - dt.timedelta(hours=3),
        DUE + dt.timedelta(hours=1),
    ]:
        run(at)
    assert subjects(smtp) == [
        "In a week: ICASSP 2027 paper submission deadline",
        "Tomorrow: ICASSP 2027 paper submission deadline",
    ]
    week, day = smtp.to("ada@example.org")
    assert "Mon 1 Mar 2027, 23:59 AoE (Tue 2 Mar, 11:59 UTC)" in text_of(week)
    assert week["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert "/mail/unsubscribe/" in week["List-Unsubscribe"]


def test_a_moved_deadline_gets_one_moved_notice_and_no_second_week_reminder(member, deadline, smtp):
    run(DUE - dt.timedelta(days=7))
    later = DUE + dt.timedelta(days=14)
    Deadline.objects.filter(pk=deadline.pk).update(due_at=later)
    run(DUE - dt.timedelta(days=6))
    run(DUE - dt.timedelta(days=5))
    run(later - dt.timedelta(days=7))  # the new date is a week away: already reminded
    run(later - dt.timedelta(days=1))
    assert subjects(smtp) == [
        "In a week: ICASSP 2027 paper submission deadline",
        "Moved: ICASSP 2027 paper submission deadline",
        "Tomorrow: ICASSP 2027 paper submission deadline",
    ]
    moved = text_of(smtp.to("ada@example.org")[1])
    assert "was Mon 1 Mar 2027, 23:59 AoE (Tue 2 Mar, 11:59 UTC)" in moved
    assert "now Mon 15 Mar 2027, 23:59 AoE (Tue 16 Mar, 11:59 UTC)" in moved
    assert list(
        ReminderSent.objects.filter(user=member).order_by("sent_at").values_list("kind", flat=True)
    ) == ["week", "moved", "day"]


def test_a_deadline_never_reminded_of_moves_silently(member, deadline, smtp):
    Deadline.objects.filter(pk=deadline.pk).update(due_at=DUE + dt.timedelta(days=30))
    run(DUE - dt.timedelta(days=7))
    assert smtp.messages == []


def test_following_the_organiser_counts_as_following_the_event(deadline, smtp):
    organiser = OrganisationFactory(slug="ieee-sps", is_published=True)
    deadline.edition.event.organiser = organiser
    deadline.edition.event.save()
    user = UserFactory(username="ada", email="ada@example.org")
    MailSettingsFactory(user=user, frequency="off")
    FollowFactory(user=user, resource=organiser)
    run(DUE - dt.timedelta(days=7))
    assert subjects(smtp) == ["In a week: ICASSP 2027 paper submission deadline"]


def test_reminders_turned_off_send_nothing(member, smtp):
    MailSettings.objects.filter(pk=member.pk).update(reminders=False)
    run(DUE - dt.timedelta(days=7))
    assert smtp.messages == []


def test_an_unverified_address_gets_no_reminder(member, smtp):
    member.email = "changed@example.org"
    member.save()
    run(DUE - dt.timedelta(days=7))
    run(DUE - dt.timedelta(days=1))
    assert smtp.messages == []
    assert not ReminderSent.objects.exists()
