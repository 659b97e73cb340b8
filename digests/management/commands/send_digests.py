"""Send every digest and deadline reminder that is due.

manage.py send_digests            # here and now, in this process (cron, or `make run`)
manage.py send_digests --now      # every member's schedule counts as due now
manage.py send_digests --enqueue  # hand batches to the job workers (manage.py db_worker)

Never repeats a post: a post a digest carried is logged and excluded for that member.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from digests.scheduling import BATCH_SIZE, enqueue_mail
from digests.sending import deliver_batch, due_digest_user_ids, reminder_user_ids


class Command(BaseCommand):
    help = "Send due digests and deadline reminders."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--now", action="store_true", help="Treat every member's schedule as due now."
        )
        parser.add_argument(
            "--enqueue", action="store_true", help="Enqueue batches for the job workers."
        )
        parser.add_argument("--backend", default="default", help="Task backend for --enqueue.")
        parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
        parser.add_argument("--no-reminders", action="store_true", help="Digests only.")

    def handle(self, *args, **options) -> None:
        if options["batch_size"] < 1:
            raise CommandError("--batch-size must be at least 1.")
        now = timezone.now()
        if options["enqueue"]:
            digests, reminders = enqueue_mail(
                now,
                force=options["now"],
                backend=options["backend"],
                batch_size=options["batch_size"],
            )
            self.stdout.write(f"Enqueued {digests} digest(s) and {reminders} reminder member(s).")
            return
        counts = deliver_batch(
            due_digest_user_ids(now, force=options["now"]), now=now, force=options["now"]
        )
        self.stdout.write(f"Digests: {summary(counts)}.")
        if not options["no_reminders"]:
            counts = deliver_batch(reminder_user_ids(now), now=now, reminders=True)
            self.stdout.write(f"Reminders: {summary(counts)}.")


def summary(counts: dict[str, int]) -> str:
    return ", ".join(f"{n} {k}" for k, n in sorted(counts.items())) or "none due"
