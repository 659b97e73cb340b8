"""Fetch the feeds that are due, once (for cron) or in a loop (as a worker).

manage.py fetch_feeds                          # every due feed, then exit
manage.py fetch_feeds --loop --interval 900    # a long-running worker
manage.py fetch_feeds --resource huggingface-blog --force

On PostgreSQL a round holds an advisory lock, so a second worker or an overlapping cron
run skips its round instead of fetching every feed twice.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import BaseCommand, CommandError
from django.db import connection

from catalogue.fetching.feeds import fetch_feed
from catalogue.fetching.runner import PER_HOST, WORKERS, run_all
from catalogue.models import Resource

LOCK_KEY = 0x41535248  # "ASRH": one fetch round at a time across the whole database


@contextmanager
def single_round() -> Iterator[bool]:
    """Yield whether this process may run a round (always true off PostgreSQL)."""
    if connection.vendor != "postgresql":
        yield True
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [LOCK_KEY])
        acquired = cursor.fetchone()[0]
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])


class Command(BaseCommand):
    help = "Fetch due feeds and store their entries."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--loop", action="store_true", help="Keep running.")
        parser.add_argument("--interval", type=int, default=900, help="Seconds between rounds.")
        parser.add_argument("--resource", action="append", default=[], help="Only this slug.")
        parser.add_argument("--force", action="store_true", help="Fetch even if not due.")
        parser.add_argument("--workers", type=int, default=WORKERS)
        parser.add_argument("--per-host", type=int, default=PER_HOST)

    def handle(self, *args, **options) -> None:
        if options["interval"] < 1:
            raise CommandError("--interval must be at least 1 second.")
        while True:
            with single_round() as mine:
                if mine:
                    self.round(options)
                else:
                    self.stdout.write("Another fetch_feeds round is running; skipped.")
            if not options["loop"]:
                return
            time.sleep(options["interval"])

    def round(self, options) -> None:
        resources = Resource.objects.published().with_feed()
        if options["resource"]:
            resources = resources.filter(slug__in=options["resource"])
        if not options["force"]:
            resources = resources.filter(pk__in=Resource.objects.due_for_fetch().values("pk"))
        resources = list(resources.order_by("feed_next_fetch_at", "pk"))
        started = time.monotonic()
        outcomes = run_all(
            resources,
            fetch_feed,
            lambda resource: resource.feed_url,
            workers=options["workers"],
            per_host=options["per_host"],
        )
        counts: dict[str, int] = {}
        for resource, outcome in zip(resources, outcomes, strict=True):
            counts[outcome.status] = counts.get(outcome.status, 0) + 1
            if outcome.status == "error" and options["verbosity"] > 1:
                self.stderr.write(f"{resource.slug}: {outcome.message}")
        new = sum(outcome.new_entries for outcome in outcomes)
        summary = (
            ", ".join(f"{n} {status}" for status, n in sorted(counts.items())) or "nothing due"
        )
        elapsed = time.monotonic() - started
        self.stdout.write(f"{len(resources)} feeds in {elapsed:.1f}s: {summary}; {new} new.")
