"""Turning what is due into jobs: batches of members for the mail workers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from digests.sending import due_digest_user_ids, reminder_user_ids
from digests.tasks import MAIL_QUEUE, send_digest_batch, send_reminder_batch

BATCH_SIZE = 100


def batched(ids: Sequence[int], size: int) -> Iterator[Sequence[int]]:
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def mail_backlog(backend: str) -> bool:
    """Whether mail jobs are still waiting in the database queue (then a scheduler tick
    adds none: the waiting jobs will reach the same members)."""
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.ready().filter(backend_name=backend, queue_name=MAIL_QUEUE).exists()


def enqueue_mail(
    now: dt.datetime,
    *,
    force: bool = False,
    backend: str = "default",
    batch_size: int = BATCH_SIZE,
    with_reminders: bool = True,
) -> tuple[int, int]:
    """Enqueue every due digest (and, unless told not to, every member who may have a
    reminder due) in batches; returns how many members were enqueued for each."""
    digest_ids = due_digest_user_ids(now, force=force)
    reminder_ids = reminder_user_ids(now) if with_reminders else []
    when = now.isoformat()
    for ids in batched(digest_ids, batch_size):
        send_digest_batch.using(backend=backend).enqueue(list(ids), when, force)
    for ids in batched(reminder_ids, batch_size):
        send_reminder_batch.using(backend=backend).enqueue(list(ids), when)
    return len(digest_ids), len(reminder_ids)
