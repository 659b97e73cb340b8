"""The job engine: the scheduler enqueues, a worker runs; send_digests in all modes."""

from __future__ import annotations

import datetime as dt
import io

import pytest
import time_machine
from django.core.management import call_command
from django_tasks_db.models import DBTaskResult

from catalogue.models import FeedEntry
from digests.content import PostSnapshot
from digests.models import Digest, MailSettings
from digests.sending import deliver_batch, deliver_digest
from tests.digests.conftest import text_of
from tests.factories import (
    BookmarkFactory,
    DeadlineFactory,
    FeedEntryFactory,
    FollowFactory,
    MailSettingsFactory,
    UserFactory,
)

NOW = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


def due_member(username: str) -> MailSettings:
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        user = UserFactory(username=username, email=f"{username}@example.org")
        prefs = MailSettingsFactory(user=user)
        prefs.reschedule(NOW - dt.timedelta(days=1))  # Monday 08:00 = NOW
        prefs.save()
        follow = FollowFactory(user=user)
        FeedEntryFactory(resource=follow.resource)
    return prefs


def worker_batch() -> None:
    call_command(
        "db_worker",
        "--backend",
        "database",
        "--queue-name",
        "*",
        "--batch",
        "--no-reload",
        "--no-startup-delay",
        "--interval",
        "0",
        "-v",
        "0",
    )


@pytest.mark.django_db(transaction=True)
def test_the_scheduler_enqueues_mail_feeds_and_links_and_a_worker_runs_them(smtp):
    for name in ("ann", "ben", "cat"):
        due_member(name)
    with time_machine.travel(NOW, tick=False):
        call_command("run_scheduler", "--once", "--backend", "database", stdout=io.StringIO())
    assert sorted(DBTaskResult.objects.values_list("task_path", flat=True)) == [
        "digests.tasks.check_links",
        "digests.tasks.fetch_feeds",
        "digests.tasks.send_digest_batch",
    ]
    assert smtp.messages == []  # enqueued, not sent
    with time_machine.travel(NOW + dt.timedelta(minutes=1)):
        worker_batch()
    assert set(DBTaskResult.objects.values_list("status", flat=True)) == {"SUCCESSFUL"}
    assert sorted(r.rcpt_tos[0] for r in smtp.messages) == [
        "ann@example.org",
        "ben@example.org",
        "cat@example.org",
    ]


@pytest.mark.django_db(transaction=True)
def test_a_tick_adds_no_mail_jobs_while_mail_jobs_wait(smtp):
    due_member("ann")
    with time_machine.travel(NOW, tick=False):
        call_command("send_digests", "--enqueue", "--backend", "database", stdout=io.StringIO())
        out = io.StringIO()
        call_command("run_scheduler", "--once", "--backend", "database", stdout=out)
    assert "Mail jobs still waiting" in out.getvalue()
    assert DBTaskResult.objects.filter(task_path="digests.tasks.send_digest_batch").count() == 1


@pytest.mark.django_db
def test_send_digests_reports_what_it_did(smtp):
    due_member("ann")
    out = io.StringIO()
    with time_machine.travel(NOW, tick=False):
        call_command("send_digests", stdout=out)
    assert out.getvalue() == "Digests: 1 sent.\nReminders: none due.\n"


@pytest.mark.django_db
def test_send_digests_now_treats_every_schedule_as_due(smtp):
    due_member("ann")
    with time_machine.travel(NOW - dt.timedelta(days=1), tick=False):
        call_command("send_digests", stdout=io.StringIO())
        assert smtp.messages == []
        call_command("send_digests", "--now", stdout=io.StringIO())
    assert [r.rcpt_tos for r in smtp.messages] == [["ann@example.org"]]


@pytest.mark.django_db
def test_a_digest_costs_a_fixed_number_of_queries(smtp, django_assert_num_queries):
    ids = [due_member(name).pk for name in ("ann", "ben", "cat")]
    deadline = DeadlineFactory(due_at=NOW + dt.timedelta(days=10))
    for pk in ids:
        BookmarkFactory(user_id=pk, resource=None, event=deadline.edition.event)
    # The batch's event calendar (4) and post snapshot (3), then per member: claim,
    # save, digest with its post ids, and the savepoint around them (2, as the test runs
    # in a transaction).
    with time_machine.travel(NOW, tick=False), django_assert_num_queries(7 + 3 * (3 + 2)):
        assert deliver_batch(ids) == {"sent": 3}
    assert list(Digest.objects.values_list("deadline_count", flat=True)) == [1, 1, 1]


@pytest.mark.django_db
def test_a_failed_smtp_hand_off_logs_nothing_and_leaves_the_member_due(settings):
    prefs = due_member("ann")
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", 9  # nothing listens there
    settings.EMAIL_USE_TLS = False
    with time_machine.travel(NOW, tick=False), pytest.raises(OSError):
        deliver_batch([prefs.pk])
    assert not Digest.objects.exists()
    assert MailSettings.objects.get(pk=prefs.pk).next_digest_at == NOW


@pytest.mark.django_db
def test_a_snapshot_older_than_a_digest_sent_since_is_not_used(smtp):
    """A batch reads its members' posts before their transactions; when another worker
    sent one of them a digest in between, that member's posts are read again."""
    prefs = due_member("ann")
    [first_post] = FeedEntry.objects.all()
    with time_machine.travel(NOW, tick=False):
        stale = PostSnapshot([prefs.pk], NOW)
        assert [row[0] for row in stale.posts_for(MailSettings.objects.get(pk=prefs.pk))] == [
            first_post.pk
        ]
        assert deliver_batch([prefs.pk]) == {"sent": 1}  # "another worker"
        newer = FeedEntryFactory(
            resource=first_post.resource, first_seen_at=NOW + dt.timedelta(minutes=30)
        )
        later = NOW + dt.timedelta(hours=1)
        assert deliver_digest(prefs.pk, later, force=True, snapshot=stale) == "sent"
    first, second = (m.message for m in smtp.messages)
    assert first_post.title in text_of(first)
    assert newer.title in text_of(second) and first_post.title not in text_of(second)
    sent = [
        p
        for ids in Digest.objects.filter(user_id=prefs.pk).values_list("post_ids", flat=True)
        for p in ids
    ]
    assert sorted(sent) == sorted([first_post.pk, newer.pk])
