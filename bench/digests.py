"""Digest benchmark: build and hand 10,000 digests to a local SMTP sink, 4 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asrhub_bench_digests \
        .venv/bin/python bench/digests.py [--members 10000] [--workers 4] [--batch-size 100]

Sets up ``--members`` verified members whose weekly digest is due, each following 8 of
200 blogs (5 new posts each, so every digest lists 8 sources and 40 posts) and
bookmarking one of 20 events with an upcoming deadline; enqueues the due digests on the
django-tasks database queue and times ``--workers`` ``manage.py db_worker --batch``
processes until the queue is empty. An aiosmtpd sink on loopback accepts every message
(a real SMTP dialogue over TCP; messages counted, not stored). Checks every member got
exactly one digest, and reports the workers' CPU time and the machine's load.
Goal: <= 60 s for 10,000 digests with 4 workers on PostgreSQL on a 2-core machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


class CountingSink:
    def __init__(self) -> None:
        self.recipients: Counter[str] = Counter()
        self.bytes = 0
        self.lock = threading.Lock()

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802
        with self.lock:
            self.recipients.update(envelope.rcpt_tos)
            self.bytes += len(envelope.content)
        return "250 2.0.0 OK"


def populate(members: int, now: dt.datetime) -> None:
    from accounts.models import Bookmark, Follow, User
    from catalogue.models import Deadline, Edition, Event, FeedEntry, Resource
    from digests.models import MailSettings

    User.objects.filter(username__startswith="bench-").delete()
    Resource.objects.filter(slug__startswith="bench-blog-").delete()
    Event.objects.filter(slug__startswith="bench-event-").delete()
    blogs = Resource.objects.bulk_create(
        Resource(
            title=f"Bench blog {n}",
            slug=f"bench-blog-{n}",
            kind="blog",
            url=f"https://blogs.example/{n}",
            summary="A benchmark blog.",
            is_published=True,
        )
        for n in range(200)
    )
    seen = now - dt.timedelta(days=1)
    FeedEntry.objects.bulk_create(
        FeedEntry(
            resource=blog,
            guid=f"bench-{blog.pk}-{n}",
            title=f"Post {n} of {blog.title}: streaming ASR in practice",
            link=f"https://blogs.example/{blog.pk}/{n}",
            published_at=seen,
            first_seen_at=seen,
        )
        for blog in blogs
        for n in range(5)
    )
    events = Event.objects.bulk_create(
        Event(
            name=f"Bench event {n}",
            slug=f"bench-event-{n}",
            kind="academic",
            summary="A benchmark event.",
            is_published=True,
        )
        for n in range(20)
    )
    editions = Edition.objects.bulk_create(
        Edition(
            event=event,
            year=2027,
            start_date=(now + dt.timedelta(days=90)).date(),
            end_date=(now + dt.timedelta(days=93)).date(),
        )
        for event in events
    )
    Deadline.objects.bulk_create(
        Deadline(edition=edition, kind="paper", due_at=now + dt.timedelta(days=12), is_aoe=True)
        for edition in editions
    )
    users = User.objects.bulk_create(
        (
            User(username=f"bench-{n}", email=f"bench-{n}@example.org", password="!")  # noqa: S106 - unusable
            for n in range(members)
        ),
        batch_size=2000,
    )
    MailSettings.objects.bulk_create(
        (
            MailSettings(
                user=user,
                verified_email=user.email,
                verified_at=now - dt.timedelta(days=30),
                next_digest_at=now - dt.timedelta(minutes=5),
            )
            for user in users
        ),
        batch_size=2000,
    )
    Follow.objects.bulk_create(
        (
            Follow(user=user, resource=blogs[(i * 7 + k * 25) % len(blogs)])
            for i, user in enumerate(users)
            for k in range(8)
        ),
        batch_size=5000,
    )
    Bookmark.objects.bulk_create(
        (Bookmark(user=user, event=events[i % len(events)]) for i, user in enumerate(users)),
        batch_size=5000,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL (or --database-url) to a PostgreSQL database.")

    from aiosmtpd.controller import Controller

    sink = CountingSink()
    with socket.socket() as probe:  # a free port (aiosmtpd cannot bind port 0 itself)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "asrhub.settings",
        "DATABASE_URL": args.database_url,
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(controller.port),
        "EMAIL_USE_TLS": "0",
        "ASRHUB_SITE_URL": "https://asrhub.example.org",
        "DJANGO_LOG_LEVEL": "WARNING",
        # Production mode: no query logging, as the workers run in a deployment.
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "k" * 50),
        "DJANGO_ALLOWED_HOSTS": "asrhub.example.org",
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.utils import timezone
    from django_tasks_db.models import DBTaskResult

    from digests.models import Digest
    from digests.scheduling import enqueue_mail

    call_command("migrate", verbosity=0)
    DBTaskResult.objects.all().delete()
    now = timezone.now()
    started = time.perf_counter()
    populate(args.members, now)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")  # fresh statistics, as autovacuum would give
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    enqueued, _ = enqueue_mail(now, backend="database", batch_size=args.batch_size)
    enqueue_seconds = time.perf_counter() - started
    command = [
        sys.executable,
        "manage.py",
        "db_worker",
        "--backend",
        "database",
        "--queue-name",
        "mail",
        "--batch",
        "--no-startup-delay",
        "--no-reload",
        "--interval",
        "0",
        "-v",
        "0",
    ]
    load_before = os.getloadavg()[0]
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(args.workers)]
    codes = [worker.wait() for worker in workers]
    send_seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    worker_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    controller.stop()

    digests = Digest.objects.filter(user__username__startswith="bench-")
    report = {
        "members": args.members,
        "workers": args.workers,
        "batch size": args.batch_size,
        "setup seconds": round(setup_seconds, 1),
        "enqueue seconds": round(enqueue_seconds, 2),
        "digests enqueued": enqueued,
        "send seconds (build + SMTP hand-off, wall clock)": round(send_seconds, 1),
        "digests per second": round(args.members / send_seconds, 1),
        "worker CPU seconds (all workers)": round(worker_cpu, 1),
        "worker CPU ms per digest": round(worker_cpu / args.members * 1000, 2),
        "load average (1 min) before / after": [load_before, os.getloadavg()[0]],
        "cores": os.cpu_count(),
        "worker exit codes": codes,
        "digests logged": digests.count(),
        "messages received by the sink": sum(sink.recipients.values()),
        "members with exactly one message": sum(1 for c in sink.recipients.values() if c == 1),
        "mean message size (bytes)": round(sink.bytes / max(1, sum(sink.recipients.values()))),
    }
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
