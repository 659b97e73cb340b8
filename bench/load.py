"""Load test: gunicorn with production settings on PostgreSQL, a realistic mix of pages.

    .venv/bin/python bench/load.py                      # 100,000 resources, 64 connections, 60 s
    .venv/bin/python bench/load.py --resources 5000 --duration 20   # a quick run

It prepares a PostgreSQL database (migrate, the real catalogue, synthetic entries up to
``--resources``, a member who follows resources with feed entries), starts gunicorn with
``deploy/gunicorn.conf.py`` and ``DJANGO_DEBUG=0``, then runs two phases against it:

1. **capacity**: ``--connections`` clients send requests back to back for ``--duration``
   seconds; the requests per second reached is the measured maximum rate;
2. **target**: the same clients send requests paced at ``--fraction`` (70 %) of that
   maximum for ``--duration`` seconds; latencies are measured from each request's
   scheduled time, so queueing delay counts (no coordinated omission).

Each phase reports requests/s, p50/p95/p99 latency and errors (non-2xx/3xx answers,
refused connections, timeouts). Target: zero errors and p99 <= 250 ms in phase 2.
The load generator runs on the same machine, which it shares with gunicorn.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import tempfile
import threading
import time
from urllib.parse import urlsplit

import _harness as harness

PREPARE = """
import json
from datetime import timedelta
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.contrib.auth import SESSION_KEY, BACKEND_SESSION_KEY, HASH_SESSION_KEY
from django.utils import timezone
from catalogue.models import Resource, FeedEntry, Person, Event
from accounts.models import Follow

User = get_user_model()
user, _ = User.objects.get_or_create(username="bench-member", defaults={"email": "b@example.org"})
user.set_password("bench-member-password-1"); user.save()
resources = list(Resource.objects.published().order_by("pk")[:40])
for position, resource in enumerate(resources):
    if not resource.feed_url:
        Resource.objects.filter(pk=resource.pk).update(feed_url=f"https://example.org/{resource.slug}.xml")
    Follow.objects.get_or_create(user=user, resource=resource)
    now = timezone.now()
    for n in range(10):
        FeedEntry.objects.get_or_create(
            resource=resource,
            guid=f"bench-{resource.pk}-{n}",
            defaults={
                "title": f"{resource.title}: post {n}",
                "link": f"https://example.org/{resource.pk}/{n}",
                "summary": "<p>A post.</p>",
                "published_at": now - timedelta(hours=n * 7 + position),
            },
        )
session = SessionStore()
session[SESSION_KEY] = str(user.pk)
session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
session[HASH_SESSION_KEY] = user.get_session_auth_hash()
session.create()
slugs = list(Resource.objects.published().order_by("?").values_list("slug", flat=True)[:300])
people = list(Person.objects.published().values_list("slug", flat=True)[:50])
events = list(Event.objects.published().values_list("slug", flat=True)[:50])
data = {"session": session.session_key, "resources": slugs, "people": people, "events": events}
print(json.dumps(data))
"""


def request_mix(data: dict) -> list[tuple[str, bool]]:
    """(path, logged_in) pairs, weighted like real traffic: search and detail pages first."""
    mix: list[tuple[str, bool]] = []
    mix += [("/", False)] * 10
    mix += [("/resources/", False)] * 8
    for q in ["whisper", "speech recognition", "diarization", "multilingual podcast", "wisper"]:
        mix += [(f"/resources/?q={q.replace(' ', '+')}", False)] * 3
    for query in [
        "kind=podcast&topic=multilingual",
        "kind=blog&level=beginner",
        "q=speech&kind=repository&cost=free",
        "category=communities&medium=discuss",
        "topic=whisper&sort=newest&page=2",
    ]:
        mix += [(f"/resources/?{query}", False)] * 3
    mix += [(f"/resources/{slug}/", False) for slug in data["resources"][:60]]
    mix += [(f"/people/{slug}/", False) for slug in data["people"][:10]]
    mix += [(f"/events/{slug}/", False) for slug in data["events"][:5]]
    mix += [("/people/", False)] * 3 + [("/events/", False)] * 3 + [("/categories/", False)] * 2
    mix += [("/me/feed/", True)] * 8
    return mix


class Client(threading.Thread):
    """One keep-alive connection sending requests from the shared schedule."""

    def __init__(self, bench: Bench) -> None:
        super().__init__(daemon=True)
        self.bench = bench
        self.connection: http.client.HTTPConnection | None = None

    def connect(self) -> http.client.HTTPConnection:
        if self.connection is None:
            self.connection = http.client.HTTPConnection(
                self.bench.host, self.bench.port, timeout=10
            )
        return self.connection

    def run(self) -> None:
        rng = random.Random(id(self))
        while True:
            scheduled = self.bench.next_slot()
            if scheduled is None:
                return
            delay = scheduled - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            path, logged_in = rng.choice(self.bench.mix)
            headers = {"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
            if logged_in:
                headers["Cookie"] = f"sessionid={self.bench.session}"
            ok = False
            try:
                connection = self.connect()
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok = response.status < 400
                if response.getheader("Connection", "").lower() == "close":
                    connection.close()
                    self.connection = None
            except (OSError, http.client.HTTPException):
                if self.connection is not None:
                    self.connection.close()
                self.connection = None
            self.bench.record(time.perf_counter() - scheduled, ok, path)


class Bench:
    def __init__(self, base_url: str, mix: list, session: str) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.mix, self.session = mix, session
        self.lock = threading.Lock()

    def phase(self, connections: int, duration: float, rate: float | None) -> dict:
        """Run one phase; ``rate`` None means back-to-back requests (closed loop)."""
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.rate = rate
        self.start = time.perf_counter()
        self.end = self.start + duration
        self.sent = 0
        clients = [Client(self) for _ in range(connections)]
        for client in clients:
            client.start()
        for client in clients:
            client.join()
        elapsed = time.perf_counter() - self.start
        return {
            **harness.latency_summary(self.latencies),
            "seconds": round(elapsed, 1),
            "rps": round(len(self.latencies) / elapsed, 1),
            "errors": len(self.errors),
            "error_paths": sorted(set(self.errors))[:10],
        }

    def next_slot(self) -> float | None:
        with self.lock:
            now = time.perf_counter()
            if self.rate is None:
                return None if now >= self.end else now
            slot = self.start + self.sent / self.rate
            if slot >= self.end:
                return None
            self.sent += 1
            return slot

    def record(self, latency: float, ok: bool, path: str) -> None:
        with self.lock:
            self.latencies.append(latency)
            if not ok:
                self.errors.append(path)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.load_arguments(parser, resources=100_000, connections=64, redis_db=15)
    parser.add_argument("--duration", type=float, default=60)
    parser.add_argument("--fraction", type=float, default=0.7)
    harness.server_arguments(
        parser, port=8765, database_url="postgres://postgres@127.0.0.1:5432/asrhub_bench"
    )
    args = parser.parse_args()

    env = harness.production_env(
        "load",
        args.database_url,
        tempfile.mkdtemp(prefix="asrhub-static-"),
        redis_url=args.redis_url,
        WEB_CONCURRENCY=str(args.workers),
        PORT=str(args.port),
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    harness.flush_redis(args.redis_url)
    harness.prepare(env, resources=args.resources, skip=args.skip_prepare)
    data = harness.shell_json(PREPARE, env)

    with harness.gunicorn(env, args.port):
        bench = Bench(f"http://127.0.0.1:{args.port}", request_mix(data), data["session"])
        bench.phase(8, 5, None)  # warm up caches and connections
        capacity = bench.phase(args.connections, args.duration, None)
        target_rate = capacity["rps"] * args.fraction
        target = bench.phase(args.connections, args.duration, target_rate)

    result = {
        "resources": args.resources,
        "workers": args.workers,
        "connections": args.connections,
        "duration_s": args.duration,
        "capacity": capacity,
        "target_rate_rps": round(target_rate, 1),
        "at_target": target,
        "passed": target["errors"] == 0 and target["p99_ms"] <= 250,
        "cpus": os.cpu_count(),
    }
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
