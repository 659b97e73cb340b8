"""The scheduler: turns the clock into jobs for `manage.py db_worker`.

Every --tick seconds it enqueues due digests and reminders (unless mail jobs are still
waiting); every --fetch-every seconds a feed-fetching round; once a day the link check.
Run one; a second one only enqueues work the batches re-check anyway.
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import close_old_connections
from django.utils import timezone

from digests.scheduling import enqueue_mail, mail_backlog
from digests.tasks import check_links, fetch_feeds


class Command(BaseCommand):
    help = "Enqueue due mail, feed fetching and link checks on the job queue."

    def add_arguments(self, parser) -> None:
        parser.add_argument("--tick", type=int, default=60)
        parser.add_argument("--fetch-every", type=int, default=900)
        parser.add_argument("--links-every", type=int, default=86400)
        parser.add_argument("--backend", default="default")
        parser.add_argument("--once", action="store_true", help="One tick, then exit.")

    def handle(self, *args, **options) -> None:
        if min(options["tick"], options["fetch_every"], options["links_every"]) < 1:
            raise CommandError("Intervals must be at least 1 second.")
        backend = options["backend"]
        last_fetch = last_links = float("-inf")
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
                digests, reminders = enqueue_mail(timezone.now(), backend=backend)
                self.stdout.write(f"Enqueued {digests} digest(s), {reminders} reminder(s).")
            if options["once"]:
                return
            time.sleep(options["tick"])


def backend_is_database(alias: str) -> bool:
    from django_tasks import task_backends
    from django_tasks_db import DatabaseBackend

    return isinstance(task_backends[alias], DatabaseBackend)
