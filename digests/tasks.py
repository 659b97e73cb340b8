"""Background jobs (django-tasks): mail batches, feed fetching and link checks.

Arguments are JSON (ids and ISO instants). A batch re-checks every member it names, so
enqueuing one twice, or re-enqueuing after a worker died, never sends a digest twice.
"""

from __future__ import annotations

import datetime as dt

from django.core.management import call_command
from django.utils import timezone

try:  # Django 6 ships the framework; the backport is the same API.
    from django.tasks import task  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task

from digests.sending import deliver_batch

MAIL_QUEUE = "mail"


def _instant(value: str | None) -> dt.datetime:
    return dt.datetime.fromisoformat(value) if value else timezone.now()


@task(queue_name=MAIL_QUEUE)
def send_digest_batch(user_ids: list[int], now: str | None = None, force: bool = False) -> dict:
    return deliver_batch(user_ids, now=_instant(now), force=force)


@task(queue_name=MAIL_QUEUE)
def send_reminder_batch(user_ids: list[int], now: str | None = None) -> dict:
    return deliver_batch(user_ids, now=_instant(now), reminders=True)


@task()
def fetch_feeds() -> None:
    """One fetch round (it holds the advisory lock, so rounds never overlap)."""
    call_command("fetch_feeds")


@task()
def check_links() -> None:
    call_command("check_links")
