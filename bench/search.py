"""Search benchmark: server-side latency of /resources/ and its throughput under gunicorn.

    .venv/bin/python bench/search.py                          # SQLite, 1,000 entries
    DB=postgres://postgres@127.0.0.1:5432/asrhub_bench
    .venv/bin/python bench/search.py --database-url $DB \\
        --resources 100000

1. Prepares the database: migrate, the real catalogue, synthetic entries up to
   ``--resources`` in total (``manage.py generate_catalogue``).
2. **Latency**: in one process, with production settings, requests the fixed mix (no
   query; ``q`` alone; ``q`` with two facets; a typo; page 5) ``--repeat`` times each
   through Django's full request handling and reports p50/p95 per case and overall,
   three times:
   - **served**: as production serves the mix (the shared cache keeps the facet index,
     facet counts and visitors' rendered results until the catalogue changes);
   - **new search**: the per-search entries (facet counts, rendered results) are
     deleted before every request, as for a search nobody has made since the catalogue
     last changed; the catalogue's facet index stays (it is built once per version);
   - **cold**: the whole cache is emptied before every request, as for the first
     request after a catalogue change (the facet index is rebuilt within it).
3. **Throughput** (skipped with ``--no-throughput``): serves the site with gunicorn
   (``--workers``, default 5) and measures requests per second of ``/resources/`` and of
   the trivial ``/healthz`` view (one database round trip) with ``--connections`` clients
   for ``--seconds`` each, in the same run, and reports their ratio.
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
sys.path.append(str(ROOT / "bench"))  # last: bench/suggestions.py must not hide the app

import _harness as harness  # noqa: E402 - bench/ is on the path only from here

MIX = {
    "no query": "/resources/",
    "q alone": "/resources/?q=speech+recognition",
    "q + two facets": "/resources/?q=whisper&kind=repository&level=intermediate",
    "typo": "/resources/?q=wisper",
    "page 5": "/resources/?page=5",
}


def latency(repeat: int, mode: str = "served", redis_url: str = "") -> dict:
    """p50/p95 per case; see the module docstring for ``mode``."""
    import django

    django.setup()
    from django.core.cache import cache
    from django.test import Client

    from catalogue.models import Resource

    per_search = None
    if mode == "new search":
        import redis

        server = redis.Redis.from_url(redis_url)

        def per_search() -> None:
            for pattern in ("*:results:*", "*:catalogue:facets:*"):
                keys = list(server.scan_iter(match=pattern, count=1000))
                if keys:
                    server.delete(*keys)

    client = Client(HTTP_HOST="127.0.0.1", headers={"X-Forwarded-Proto": "https"})
    results: dict = {"entries": Resource.objects.published().count(), "cases": {}}
    everything: list[float] = []
    for name, path in MIX.items():
        for _ in range(3):  # warm up
            assert client.get(path, secure=True).status_code == 200, path
        times = []
        cpu = []  # CPU time of this process (SQLite runs in it): steadier on a busy machine
        for _ in range(repeat):
            if mode == "cold":
                cache.clear()
            elif per_search is not None:
                per_search()
            start, start_cpu = time.perf_counter(), time.process_time()
            response = client.get(path, secure=True)
            times.append(time.perf_counter() - start)
            cpu.append(time.process_time() - start_cpu)
            assert response.status_code == 200, path
        everything += times
        results["cases"][name] = {
            "p50_ms": harness.percentile(times, 0.5, 2),
            "p95_ms": harness.percentile(times, 0.95, 2),
            "mean_ms": round(statistics.fmean(times) * 1000, 2),
            "cpu_p50_ms": harness.percentile(cpu, 0.5, 2),
            "cpu_p95_ms": harness.percentile(cpu, 0.95, 2),
        }
    results["overall"] = {
        "p50_ms": harness.percentile(everything, 0.5, 2),
        "p95_ms": harness.percentile(everything, 0.95, 2),
    }
    return results


def throughput(env: dict, workers: int, connections: int, seconds: float, port: int) -> dict:
    from load import Bench

    env = {
        **env,
        "WEB_CONCURRENCY": str(workers),
        "PORT": str(port),
        "GUNICORN_ACCESS_LOG": "/dev/null",
    }
    with harness.gunicorn(env, port):
        base = f"http://127.0.0.1:{port}"
        measured = {}
        for name, mix in {
            "trivial (/healthz)": [("/healthz", False)],
            "/resources/ (mix)": [(path, False) for path in MIX.values()],
        }.items():
            bench = Bench(base, mix, session="")
            bench.phase(connections, 3, None)  # warm up
            measured[name] = bench.phase(connections, seconds, None)
    ratio = measured["/resources/ (mix)"]["rps"] / measured["trivial (/healthz)"]["rps"]
    return {
        "workers": workers,
        "connections": connections,
        "runs": measured,
        "ratio": round(ratio, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.load_arguments(parser, resources=1000, connections=16, redis_db=15)
    parser.add_argument("--repeat", type=int, default=60)
    harness.server_arguments(parser, port=8767)
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--no-throughput", action="store_true")
    parser.add_argument(
        "--no-cold",
        action="store_true",
        help="skip the 'new search' (needs --redis-url) and 'cold' latency runs",
    )
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asrhub-bench-"))
    database_url = args.database_url or "sqlite:////tmp/asrhub-bench-search.sqlite3"
    env = harness.production_env("search", database_url, work / "static", redis_url=args.redis_url)
    harness.flush_redis(args.redis_url)
    harness.prepare(env, resources=max(0, args.resources - 110), skip=args.skip_prepare)
    os.environ.update(env)
    report = {
        "database": database_url.split(":")[0],
        "latency": latency(args.repeat),
        "cpus": os.cpu_count(),
    }
    if not args.no_cold and args.redis_url:
        report["latency_new_search"] = latency(args.repeat, "new search", args.redis_url)
    if not args.no_cold:
        # Emptying the cache needs no Redis: with the local-memory cache it is in-process.
        report["latency_cold"] = latency(args.repeat, "cold")
    if not args.no_throughput:
        report["throughput"] = throughput(
            env, args.workers, args.connections, args.seconds, args.port
        )
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
