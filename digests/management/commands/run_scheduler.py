"""The scheduler: turns the clock into jobs for `manage.py db_worker`.

Every --tick seconds it enqueues due digests (unless mail jobs are still waiting), every
--reminders-every seconds the members who may have a deadline reminder due, every
--fetch-every seconds a feed-fetching round, and once a day the link check.
Run one; a second one only enqueues work the batches re-check anyway.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone
from django_tasks import task_backends
from django_tasks_db import DatabaseBackend

from digests.scheduling import enqueue_mail, mail_backlog
from digests.tasks import check_links, fetch_feeds


class Command(BaseCommand):
    help = "Enqueue due mail, feed fetching and link checks on the job queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tick", type=int, default=60)
        parser.add_argument("--reminders-every", type=int, default=900)
        parser.add_argument("--fetch-every", type=int, default=900)
        parser.add_argument("--links-every", type=int, default=86400)
        parser.add_argument("--backend", default="default")
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")

    def handle(self, *args, **options) -> None:
        intervals = ("tick", "reminders_every", "fetch_every", "links_every")
        if min(options[name] for name in intervals) < 1:
            raise CommandError("Intervals must be at least 1 second.")
        backend = options["backend"]
        last_fetch = last_links = last_reminders = float("-inf")
        while True:
            close_old_connections()
            clock = time.monotonic()
            if clock - last_fetch >= options["fetch_every"]:
                fetch_feeds.using(backend=backend).enqueue()
                last_fetch = clock
            if clock - last_links >= options["links_every"]:
                check_links.using(backend=backend).enqueue()
                last_links = clock
            if backend_is_database(backend) and mail_backlog(backend):
                self.stdout.write("Mail jobs still waiting; none added this tick.")
            else:
                with_reminders = clock - last_reminders >= options["reminders_every"]
                digests, reminders = enqueue_mail(
                    timezone.now(), backend=backend, with_reminders=with_reminders
                )
                if with_reminders:
                    last_reminders = clock
                self.stdout.write(f"Enqueued {digests} digest(s), {reminders} reminder(s).")
            if options["once"]:
                return
            time.sleep(options["tick"])


def backend_is_database(alias: str) -> bool:
    return isinstance(task_backends[alias], DatabaseBackend)
