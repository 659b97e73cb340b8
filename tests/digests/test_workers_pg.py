"""Several `db_worker` processes on PostgreSQL: exactly one digest per member, even when
the same members are enqueued twice, and after a worker is killed mid-batch."""

from __future__ import annotations

import datetime as dt
import signal
import subprocess
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from accounts.models import Follow, User
from catalogue.models import FeedEntry
from digests.models import Digest, MailSettings
from digests.scheduling import enqueue_mail
from tests.factories import ResourceFactory
from tests.support.mail_workers import WORKER_COMMAND, verify_members, worker_env

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True),
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="SQLite has no row locks: concurrent workers are a PostgreSQL deployment",
    ),
]


def due_members(count: int, now: dt.datetime) -> list[int]:
    """``count`` verified members, due since an hour, following one blog with one post."""
    blog = ResourceFactory(title="Shared blog", is_published=True)
    users = User.objects.bulk_create(
        [User(username=f"m{n}", email=f"m{n}@example.org", password="!") for n in range(count)]
    )
    verify_members(users, now, due_at=now - dt.timedelta(hours=1))
    Follow.objects.bulk_create([Follow(user=user, resource=blog) for user in users])
    FeedEntry.objects.create(
        resource=blog,
        guid="post-1",
        title="A post for everyone",
        link="https://example.org/p/1",
        published_at=now - dt.timedelta(hours=2),
        first_seen_at=now - dt.timedelta(hours=2),
    )
    return [user.pk for user in users]


def worker(port: int, *extra: str) -> subprocess.Popen:
    db = connection.settings_dict
    database_url = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return subprocess.Popen(
        [*WORKER_COMMAND, *extra],
        cwd=settings.BASE_DIR,
        env=worker_env(database_url, port),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def finish(process: subprocess.Popen) -> None:
    _, stderr = process.communicate(timeout=240)
    assert process.returncode == 0, stderr.decode()[-2000:]


def test_two_workers_send_exactly_one_digest_to_each_of_500_members(smtp_server):
    sink, port = smtp_server
    now = timezone.now()
    ids = due_members(500, now)
    # Two schedulers racing: every member is enqueued twice, in batches both workers see.
    enqueue_mail(now, backend="database", batch_size=50)
    enqueue_mail(now, backend="database", batch_size=50)
    workers = [worker(port, "--batch"), worker(port, "--batch")]
    for process in workers:
        finish(process)
    received = Counter(r.rcpt_tos[0] for r in sink.messages)
    assert len(received) == 500
    assert set(received.values()) == {1}
    assert Counter(Digest.objects.values_list("user_id", flat=True)) == Counter(
        dict.fromkeys(ids, 1)
    )
    sent = [p for ids in Digest.objects.values_list("post_ids", flat=True) for p in ids]
    assert len(sent) == 500
    assert not MailSettings.objects.filter(next_digest_at__lte=now).exists()


def test_a_worker_killed_mid_batch_loses_and_doubles_nothing_after_a_restart(smtp_server):
    sink, port = smtp_server
    now = timezone.now()
    ids = due_members(300, now)
    enqueue_mail(now, backend="database", batch_size=40)
    sink.hold_at = 120  # the 120th mail hangs in DATA: the worker is mid-send
    first = worker(port)
    assert sink.held.wait(timeout=120), "the worker never reached the 120th mail"
    first.send_signal(signal.SIGKILL)
    first.wait(timeout=30)
    sink.release.set()  # the held mail was never accepted
    assert len(sink.messages) == 119
    assert Digest.objects.count() == 119  # the 120th rolled back with the dead connection

    # Restart: drain the queue, then a scheduler tick re-enqueues whoever is still due
    # (the rest of the killed batch), and a worker drains that.
    finish(worker(port, "--batch"))
    enqueue_mail(timezone.now(), backend="database", batch_size=40)
    finish(worker(port, "--batch"))

    received = Counter(r.rcpt_tos[0] for r in sink.messages)
    assert received == Counter({f"m{n}@example.org": 1 for n in range(300)})
    assert Counter(Digest.objects.values_list("user_id", flat=True)) == Counter(
        dict.fromkeys(ids, 1)
    )
