"""Digest benchmark: build and hand 10,000 digests to a local SMTP sink, 4 workers.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/asrhub_i15 \
        .venv/bin/python bench/digests.py [--members 10000] [--workers 4] [--batch-size 100]
        [--sink lean|aiosmtpd] [--fresh]

Sets up ``--members`` verified members whose weekly digest is due, each following 8 of
200 blogs (5 new posts each, so every digest lists 8 sources and 40 posts) and
bookmarking one of 20 events with an upcoming deadline (an earlier run's members of the
same number are made due again instead, unless ``--fresh``); enqueues the due digests
on the django-tasks database queue and times ``--workers`` ``manage.py db_worker
--batch`` processes until the queue is empty. A sink on loopback accepts every message
over a real SMTP dialogue (TCP; messages counted, not stored): by default a minimal
asyncio SMTP receiver, with ``--sink aiosmtpd`` aiosmtpd. Exits non-zero unless every
member got exactly one digest; reports the CPU time of the workers, of their PostgreSQL
backends and of the sink, and the machine's load.
Goal: <= 60 s for 10,000 digests with 4 workers on PostgreSQL on a 2-core machine.
"""

from __future__ import annotations

import argparse
import asyncio
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

from tests.support.mail_workers import (  # noqa: E402 - after ROOT on the path
    WORKER_COMMAND,
    verify_members,
    worker_env,
)


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


class LeanSink(asyncio.Protocol):
    """A minimal SMTP receiver (RFC 5321: greeting, EHLO/HELO, MAIL, RCPT, DATA with a
    dot-terminated body, RSET, NOOP, QUIT) that counts recipients and bytes. A real MTA
    runs on another machine; aiosmtpd's per-command cost in this process would otherwise
    be a visible share of the two cores the workers measure on (``--sink aiosmtpd``
    still uses it)."""

    def __init__(self, sink: CountingSink) -> None:
        self.sink = sink
        self.buffer = bytearray()
        self.in_data = False
        self.scanned = 0
        self.rcpts: list[str] = []

    def connection_made(self, transport) -> None:
        self.transport = transport
        transport.write(b"220 sink ESMTP\r\n")

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        while self.buffer:
            if self.in_data:
                if self.buffer.startswith(b".\r\n"):
                    end = -2  # an empty body
                else:
                    end = self.buffer.find(b"\r\n.\r\n", max(0, self.scanned - 4))
                if end < 0:
                    self.scanned = len(self.buffer)
                    return
                with self.sink.lock:
                    self.sink.recipients.update(self.rcpts)
                    self.sink.bytes += max(0, end)
                del self.buffer[: end + 5]
                self.in_data, self.scanned, self.rcpts = False, 0, []
                self.transport.write(b"250 2.0.0 OK\r\n")
                continue
            eol = self.buffer.find(b"\r\n")
            if eol < 0:
                return
            line = bytes(self.buffer[:eol])
            del self.buffer[: eol + 2]
            verb = line[:4].upper()
            if verb == b"EHLO":
                self.transport.write(b"250-sink\r\n250-8BITMIME\r\n250 SMTPUTF8\r\n")
            elif verb == b"RCPT":
                self.rcpts.append(line[line.index(b"<") + 1 : line.rindex(b">")].decode())
                self.transport.write(b"250 OK\r\n")
            elif verb == b"DATA":
                self.in_data = True
                self.transport.write(b"354 End data with <CR><LF>.<CR><LF>\r\n")
            elif verb in (b"MAIL", b"RSET"):
                self.rcpts = []
                self.transport.write(b"250 OK\r\n")
            elif verb == b"QUIT":
                self.transport.write(b"221 Bye\r\n")
                self.transport.close()
                return
            else:  # HELO, NOOP
                self.transport.write(b"250 OK\r\n")


class LeanController:
    """Runs ``LeanSink`` on an asyncio loop in a thread, like aiosmtpd's Controller."""

    def __init__(self, sink: CountingSink, hostname: str, port: int) -> None:
        self.sink, self.hostname, self.port = sink, hostname, port
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def start(self) -> None:
        server = self.loop.create_server(
            lambda: LeanSink(self.sink), self.hostname, self.port, reuse_address=True
        )
        self.server = self.loop.run_until_complete(server)
        self.thread.start()

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.server.close)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join()


class BackendCPU(threading.Thread):
    """Samples the CPU time of this database's other PostgreSQL backends (the workers'
    connections) from /proc while they run; a backend's last sample is its total."""

    def __init__(self, database_url: str) -> None:
        super().__init__(daemon=True)
        self.database_url = database_url
        self.seconds: dict[int, float] = {}
        self.done = threading.Event()

    def run(self) -> None:
        import psycopg

        tick = os.sysconf("SC_CLK_TCK")
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            while not self.done.wait(0.2):
                pids = conn.execute(
                    "SELECT pid FROM pg_stat_activity"
                    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                ).fetchall()
                for (pid,) in pids:
                    try:
                        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
                    except OSError:
                        continue  # not on this machine, or gone
                    self.seconds[pid] = (int(fields[11]) + int(fields[12])) / tick

    def total(self) -> float:
        self.done.set()
        self.join()
        return sum(self.seconds.values())


def populate(members: int, now: dt.datetime) -> None:
    from accounts.models import Bookmark, Follow, User
    from catalogue.models import Deadline, Edition, Event, FeedEntry, Resource
    from digests.models import Digest

    # The send logs first, each in one plain DELETE by member id (through the users'
    # cascade Django fetches every row; through a join PostgreSQL chose a slow plan).
    old = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    Digest.objects.filter(user_id__in=old).delete()
    User.objects.filter(pk__in=old).delete()
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
    verify_members(users, now, due_at=now - dt.timedelta(minutes=5), batch_size=2000)
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


def reset(members: int, now: dt.datetime) -> bool:
    """Make an earlier run's members due again, as ``populate`` leaves them (their send
    logs deleted, posts and deadlines moved to ``now``); False when there is no earlier
    run of this size. (Deleting 10,000 members updates every follower count: minutes.)"""
    from django.db import transaction

    from accounts.models import User
    from catalogue.models import Deadline, FeedEntry
    from digests.models import Digest, MailSettings

    ids = list(User.objects.filter(username__startswith="bench-").values_list("pk", flat=True))
    if len(ids) != members or MailSettings.objects.filter(pk__in=ids).count() != members:
        return False
    with transaction.atomic():
        Digest.objects.filter(user_id__in=ids).delete()
        MailSettings.objects.filter(pk__in=ids).update(
            next_digest_at=now - dt.timedelta(minutes=5), last_digest_at=None
        )
        seen = now - dt.timedelta(days=1)
        FeedEntry.objects.filter(guid__startswith="bench-").update(
            published_at=seen, first_seen_at=seen
        )
        Deadline.objects.filter(edition__event__slug__startswith="bench-event-").update(
            due_at=now + dt.timedelta(days=12)
        )
    return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--batch-size", type=int, default=100)
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="delete and re-create the members even when an earlier run's can be reset",
    )
    parser.add_argument(
        "--sink",
        choices=["lean", "aiosmtpd"],
        default="lean",
        help="the SMTP receiver: a minimal asyncio one (default) or aiosmtpd",
    )
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", ""))
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("Set DATABASE_URL (or --database-url) to a PostgreSQL database.")

    from aiosmtpd.controller import Controller

    sink = CountingSink()
    with socket.socket() as probe:  # a free port (aiosmtpd cannot bind port 0 itself)
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if args.sink == "aiosmtpd":
        controller = Controller(sink, hostname="127.0.0.1", port=port)
    else:
        controller = LeanController(sink, hostname="127.0.0.1", port=port)
    controller.start()
    env = worker_env(
        args.database_url,
        controller.port,
        DJANGO_SETTINGS_MODULE="asrhub.settings",
        # Production mode: no query logging, as the workers run in a deployment.
        DJANGO_DEBUG="0",
        DJANGO_SECRET_KEY=os.environ.get("DJANGO_SECRET_KEY", "bench-only-" + "k" * 50),
        DJANGO_ALLOWED_HOSTS="asrhub.example.org",
    )
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
    if args.fresh or not reset(args.members, now):
        populate(args.members, now)
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # fresh statistics, as autovacuum would give
    setup_seconds = time.perf_counter() - started

    started = time.perf_counter()
    enqueued, _ = enqueue_mail(now, backend="database", batch_size=args.batch_size)
    enqueue_seconds = time.perf_counter() - started
    command = [*WORKER_COMMAND, "--batch"]
    load_before = os.getloadavg()[0]
    backends = BackendCPU(args.database_url)
    backends.start()
    cpu_before = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_before = resource.getrusage(resource.RUSAGE_SELF)
    started = time.perf_counter()
    workers = [subprocess.Popen(command, cwd=ROOT, env=env) for _ in range(args.workers)]
    codes = [worker.wait() for worker in workers]
    send_seconds = time.perf_counter() - started
    cpu_after = resource.getrusage(resource.RUSAGE_CHILDREN)
    own_after = resource.getrusage(resource.RUSAGE_SELF)
    worker_cpu = (cpu_after.ru_utime - cpu_before.ru_utime) + (
        cpu_after.ru_stime - cpu_before.ru_stime
    )
    # This process only waits and samples meanwhile: its CPU is the sink's (an upper bound).
    sink_cpu = (own_after.ru_utime - own_before.ru_utime) + (
        own_after.ru_stime - own_before.ru_stime
    )
    backend_cpu = backends.total()
    controller.stop()

    digests = Digest.objects.filter(user__username__startswith="bench-")
    report = {
        "members": args.members,
        "sink": args.sink,
        "workers": args.workers,
        "batch size": args.batch_size,
        "setup seconds": round(setup_seconds, 1),
        "enqueue seconds": round(enqueue_seconds, 2),
        "digests enqueued": enqueued,
        "send seconds (build + SMTP hand-off, wall clock)": round(send_seconds, 1),
        "digests per second": round(args.members / send_seconds, 1),
        "worker CPU seconds (all workers)": round(worker_cpu, 1),
        "worker CPU ms per digest": round(worker_cpu / args.members * 1000, 2),
        "PostgreSQL backend CPU ms per digest (the workers' connections)": round(
            backend_cpu / args.members * 1000, 2
        ),
        "SMTP sink CPU ms per digest (this process)": round(sink_cpu / args.members * 1000, 2),
        "load average (1 min) before / after": [load_before, os.getloadavg()[0]],
        "cores": os.cpu_count(),
        "worker exit codes": codes,
        "digests logged": digests.count(),
        "messages received by the sink": sum(sink.recipients.values()),
        "members with exactly one message": sum(1 for c in sink.recipients.values() if c == 1),
        "mean message size (bytes)": round(sink.bytes / max(1, sum(sink.recipients.values()))),
    }
    print(json.dumps(report, indent=2))
    complete = (
        report["digests logged"] == report["messages received by the sink"] == args.members
        and report["members with exactly one message"] == args.members
        and len(sink.recipients) == args.members
    )
    if not complete:
        sys.exit("Not every member got exactly one digest: the figure above does not count.")


if __name__ == "__main__":
    main()
