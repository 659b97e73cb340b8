"""River benchmark: /latest/ and the member reader on a large river.

    DB=postgres://postgres@127.0.0.1:5432/asrhub_river
    .venv/bin/python bench/river.py --database-url $DB --posts 1000000

1. Prepares the database (skip with ``--skip-prepare``): migrate, the real catalogue,
   synthetic posts up to ``--posts`` from ``--sources`` synthetic feeds
   (``manage.py generate_posts``: set-based SQL, run once; later runs top up only), then
   ``VACUUM ANALYZE`` on PostgreSQL.
2. A member ("bench-reader") follows ``--follow`` synthetic sources.
3. **Latency**: in one process with production settings (DEBUG off), each case is
   requested ``--repeat`` times through Django's full request handling (session, auth,
   middleware, template) and p50/p95 are reported. **Uncached**: the river views use
   no application cache, and the cache is cleared before every request anyway; only
   PostgreSQL's own buffers are warm after the first request.
   - ``/latest/`` first page, ``/latest/?q=speech`` (a word in about 40% of titles and
     most summaries), ``/latest/?topic=<a topic>``;
   - ``/me/feed/?show=unread`` for a member who has never marked anything read (every
     post from 500 sources unread), and again after "mark all read" with 20 posts
     marked unread again (a member who keeps up);
   - ``POST /me/feed/read/`` (mark all read) — the watermark is reset, untimed, before
     each request.
   Beside the latencies: this process's CPU, the wall time of its SQL, and (PostgreSQL)
   ``db_work_ms``, the database's own planning and execution time for one request's
   reads (``EXPLAIN (ANALYZE)``), which the machine's load inflates least.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from _harness import manage, percentile, production_env  # noqa: E402 - after ROOT on the path


def summary(samples: list[float], cpu: list[float], sql: list[float]) -> dict:
    return {
        "p50_ms": percentile(samples, 0.5),
        "p95_ms": percentile(samples, 0.95),
        "mean_ms": round(statistics.mean(samples) * 1000, 1),
        # Where the time goes: this process's CPU, and the wall time spent waiting on SQL.
        "python_cpu_p50_ms": percentile(cpu, 0.5),
        "sql_wall_p50_ms": percentile(sql, 0.5),
        "n": len(samples),
    }


class SqlTimer:
    """A database execute wrapper that adds up the wall time of every query."""

    def __init__(self) -> None:
        self.total = 0.0

    def __call__(self, execute, sql, params, many, context):
        started = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.total += time.perf_counter() - started


def database_work(client, path: str, connection) -> dict:
    """The database's own planning and execution time for one request's queries.

    One more request is captured and each of its reads is run again under ``EXPLAIN
    (ANALYZE)`` (after the ``SET LOCAL`` that preceded it, if any, in a transaction of its
    own). Unlike the SQL wall time this leaves out the round trips and the wait for a CPU
    on the client side, so it says what the queries themselves cost.
    """
    from django.db import transaction
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        client.get(path, secure=True)
    statements = [q["sql"] for q in captured.captured_queries]
    total = 0.0
    if connection.vendor != "postgresql":
        return {"queries": len(statements)}
    for n, sql in enumerate(statements):
        if not sql.lstrip().upper().startswith(("SELECT", "WITH")):
            continue
        with transaction.atomic(), connection.cursor() as cursor:
            if n and statements[n - 1].upper().startswith("SET LOCAL"):
                cursor.execute(statements[n - 1])
            cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + sql)
            plan = cursor.fetchone()[0]
            plan = json.loads(plan) if isinstance(plan, str) else plan
            total += plan[0]["Planning Time"] + plan[0]["Execution Time"]
    return {"queries": len(statements), "db_work_ms": round(total, 1)}


def run(args) -> dict:
    import django

    django.setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from accounts.models import Follow, User
    from catalogue.models import Resource, Topic
    from river.models import Post, PostState, PostTopic, Reader

    member, _ = User.objects.get_or_create(username="bench-reader")
    sources = list(
        Resource.objects.filter(slug__startswith="synthetic-source-")
        .order_by("pk")
        .values_list("pk", flat=True)[: args.follow]
    )
    Follow.objects.filter(user=member).exclude(resource__in=sources).delete()
    Follow.objects.bulk_create(
        [Follow(user=member, resource_id=pk) for pk in sources], ignore_conflicts=True
    )
    topic = Topic.objects.get(pk=PostTopic.objects.values_list("topic", flat=True).first())
    client = Client()
    client.force_login(member)

    def fresh() -> None:
        Reader.objects.filter(user=member).delete()
        PostState.objects.filter(user=member).delete()

    def keeping_up() -> None:
        fresh()
        Reader.of(member).mark_all_read()
        recent = Post.objects.for_member(member).newest().values_list("pk", flat=True)[:20]
        reader = Reader.of(member)
        for post in Post.objects.filter(pk__in=list(recent)):
            reader.set_state(post, "unread")

    cases = {
        "/latest/ (first page)": ("get", "/latest/", None),
        "/latest/?q=speech": ("get", "/latest/?q=speech", None),
        f"/latest/?topic={topic.slug}": ("get", f"/latest/?topic={topic.slug}", None),
        "/me/feed/?show=unread (nothing read yet)": ("get", "/me/feed/?show=unread", fresh),
        "/me/feed/?show=unread (keeping up: 20 unread)": (
            "get",
            "/me/feed/?show=unread",
            keeping_up,
        ),
        "POST /me/feed/read/ (mark all read)": ("post", "/me/feed/read/", None),
    }
    report = {}
    for name, (method, path, setup) in cases.items():
        if setup:
            setup()
        samples, cpu, sql = [], [], []
        for attempt in range(args.repeat + 1):
            if method == "post":
                fresh()
            cache.clear()
            timer = SqlTimer()
            with connection.execute_wrapper(timer):
                started, started_cpu = time.perf_counter(), time.process_time()
                response = (
                    client.post(path, secure=True)
                    if method == "post"
                    else client.get(path, secure=True)
                )
                elapsed = time.perf_counter() - started
                used = time.process_time() - started_cpu
            assert response.status_code in {200, 302}, (path, response.status_code)
            if attempt:  # the first request only warms the process
                samples.append(elapsed)
                cpu.append(used)
                sql.append(timer.total)
        report[name] = summary(samples, cpu, sql)
        if method == "get":
            report[name].update(database_work(client, path, connection))
        print(name, report[name], flush=True)
    unread = client.get("/me/feed/?show=unread", secure=True).context
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM river_post")
        posts = cursor.fetchone()[0]
    return {
        "database": connection.vendor,
        "posts": posts,
        "followed_sources": len(sources),
        "followed_posts": Post.objects.for_member(member).count(),
        "unread_after_runs": unread["unread_total"] if unread else None,
        "cache": "none used by these views; cleared before every request",
        "latency": report,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--sources", type=int, default=2000)
    parser.add_argument("--follow", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--skip-prepare", action="store_true")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="asrhub-bench-river-"))
    database_url = args.database_url or "sqlite:////tmp/asrhub-bench-river.sqlite3"
    env = production_env(
        "river", database_url, work / "static", hosts="127.0.0.1,localhost,testserver"
    )
    if not args.skip_prepare:
        manage("migrate", "--noinput", "-v0", env=env)
        manage("load_catalogue", "-v0", env=env)
        os.environ.update(env)
        import django

        django.setup()
        from river.models import Post

        missing = args.posts - Post.objects.filter(guid__startswith="synthetic:").count()
        if missing > 0:
            manage("generate_posts", "--posts", str(missing), "--sources", str(args.sources),
                   env=env)  # fmt: skip
            if database_url.startswith("postgres"):
                from django.db import connection

                with connection.cursor() as cursor:
                    cursor.execute("VACUUM ANALYZE")
    manage("collectstatic", "--noinput", "-v0", env=env)
    os.environ.update(env)
    load_before = os.getloadavg()
    report = run(args)
    report["cpus"] = os.cpu_count()
    # The machine is shared: the load says how much of the wall time is waiting for a CPU.
    report["load_average_1m"] = {"before": load_before[0], "after": os.getloadavg()[0]}
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
