"""What the benchmark scripts share: production settings, ``manage.py``, a production
gunicorn, and percentiles.

Not a benchmark itself. The scripts run as ``.venv/bin/python bench/<name>.py``, so this
directory is on ``sys.path`` and they import it as ``_harness``.
"""

from __future__ import annotations

import http.client
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
REDIS_HELP = "the shared cache, as in production ('' for per-process memory); flushed first"


def production_env(
    name: str,
    database_url: str,
    static_root: Path | str,
    *,
    redis_url: str | None = None,
    hosts: str = "127.0.0.1,localhost",
    **extra: str,
) -> dict:
    """The environment of a production deployment (``DJANGO_DEBUG=0``) on this machine.

    ``name`` makes the throw-away secret key; ``extra`` adds or overrides variables
    (``WEB_CONCURRENCY``, ``PORT``…).
    """
    env = {
        **os.environ,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": f"{name}-bench-only-" + "x" * 50,
        "DJANGO_ALLOWED_HOSTS": hosts,
        "DATABASE_URL": database_url,
        "DJANGO_STATIC_ROOT": str(static_root),
        "DJANGO_SETTINGS_MODULE": "asrhub.settings",
    }
    if redis_url is not None:
        env["REDIS_URL"] = redis_url
    env.update(extra)
    return env


def manage(*args: str, env: dict, capture: bool = False) -> str:
    """Run ``manage.py`` with ``env``; its standard output when ``capture``."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        text=True,
        capture_output=capture,
    )
    return result.stdout if capture else ""


def shell_json(code: str, env: dict):
    """Run ``code`` in ``manage.py shell``; the JSON it prints last."""
    return json.loads(manage("shell", "-c", code, env=env, capture=True).strip().splitlines()[-1])


def createdb(database_url: str) -> None:
    """Create the PostgreSQL database of ``database_url`` if it is missing."""
    if database_url.startswith("postgres"):
        name = database_url.rsplit("/", 1)[-1]
        createdb = ["createdb", "-h", HOST, "-U", "postgres", name]
        subprocess.run(createdb, check=False, capture_output=True)


def flush_redis(redis_url: str) -> None:
    if redis_url:
        import redis

        redis.Redis.from_url(redis_url).flushdb()


def prepare(
    env: dict, *, resources: int | None = None, catalogue: bool = True, skip: bool = False
) -> None:
    """Get the database of ``env`` ready and collect static files: create it if missing
    (PostgreSQL), migrate, load the real catalogue (unless not ``catalogue``) and add
    ``resources`` synthetic entries when given. ``skip`` keeps a prepared database as is."""
    createdb(env["DATABASE_URL"])
    if not skip:
        manage("migrate", "--noinput", "-v0", env=env)
        if catalogue:
            manage("load_catalogue", "-v0", env=env)
        if resources is not None:
            manage("generate_catalogue", "--resources", str(resources), env=env)
    manage("collectstatic", "--noinput", "-v0", env=env)


def load_arguments(parser, *, resources: int, connections: int, redis_db: int) -> None:
    """The options of every script that loads a catalogue of a given size and sends it
    concurrent requests through the shared cache."""
    parser.add_argument("--resources", type=int, default=resources)
    parser.add_argument("--connections", type=int, default=connections)
    parser.add_argument("--skip-prepare", action="store_true")
    parser.add_argument(
        "--redis-url", default=f"redis://127.0.0.1:6379/{redis_db}", help=REDIS_HELP
    )


def server_arguments(parser, *, port: int, workers: int = 5, database_url: str = "") -> None:
    """The options of every script that starts gunicorn."""
    parser.add_argument("--port", type=int, default=port)
    parser.add_argument("--workers", type=int, default=workers)
    parser.add_argument("--database-url", default=database_url)


def wait_until_up(port: int, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", "/healthz", headers={"X-Forwarded-Proto": "https"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit("gunicorn did not come up")


@contextmanager
def gunicorn(env: dict, port: int, **popen: object) -> Iterator[subprocess.Popen]:
    """gunicorn with ``deploy/gunicorn.conf.py``, up and answering, stopped on exit.

    ``env`` carries ``PORT`` and ``WEB_CONCURRENCY``; ``popen`` goes to ``Popen``
    (``stdout=``…).
    """
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "--config", "deploy/gunicorn.conf.py", "asrhub.wsgi"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
        **popen,
    )
    try:
        wait_until_up(port)
        yield server
    finally:
        server.terminate()
        server.wait(timeout=30)


def percentile(values: list[float], p: float, digits: int = 1) -> float:
    """The ``p`` quantile (0–1) of ``values`` in seconds, in milliseconds."""
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000, digits)


def latency_summary(latencies: list[float]) -> dict:
    """Count, p50/p95/p99 and mean of request latencies, in milliseconds."""
    return {
        "requests": len(latencies),
        "p50_ms": percentile(latencies, 0.50),
        "p95_ms": percentile(latencies, 0.95),
        "p99_ms": percentile(latencies, 0.99),
        "mean_ms": round(statistics.fmean(latencies) * 1000, 1),
    }
