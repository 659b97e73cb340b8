"""Feed-fetching benchmark: 1,000 feeds from a local server, then again (all 304).

    .venv/bin/python bench/feeds.py [--feeds 1000] [--hosts 8] [--database-url URL]

A local HTTP server (all interfaces, so 127.0.0.1 … 127.0.0.N are distinct "hosts"
for the per-host limit) serves ``--feeds`` different RSS documents of 20 entries each,
with ETags. ``manage.py fetch_feeds`` runs twice with its production settings (8 at
once, 2 per host): the first pass fetches, parses and stores every entry; the second
pass finds every feed due again and gets 304 Not Modified for all of them.
Targets: first pass <= 30 s, second pass <= 10 s.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import os
import sys
import tempfile
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def document(number: int) -> bytes:
    items = "".join(
        f"<item><title>Post {n} of feed {number}</title>"
        f"<link>https://feeds.example/{number}/{n}</link><guid>feed-{number}-{n}</guid>"
        f"<pubDate>Tue, {10 + n % 18:02d} Nov 2026 10:00:00 GMT</pubDate>"
        f"<description>&lt;p&gt;Entry {n}: speech recognition news.&lt;/p&gt;</description></item>"
        for n in range(20)
    )
    return (
        f'<?xml version="1.0"?><rss version="2.0"><channel><title>Feed {number}</title>'
        f"<link>https://feeds.example/{number}</link><description>Bench</description>"
        f"{items}</channel></rss>"
    ).encode()


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    counts = {"200": 0, "304": 0}
    lock = threading.Lock()

    def log_message(self, *args) -> None:
        pass

    def do_GET(self) -> None:  # noqa: N802
        number = int(self.path.strip("/").split(".")[0])
        body = document(number)
        etag = '"' + hashlib.sha1(body).hexdigest()[:16] + '"'  # noqa: S324 - an ETag
        if self.headers.get("If-None-Match") == etag:
            with self.lock:
                self.counts["304"] += 1
            self.send_response(304)
            self.send_header("ETag", etag)
            self.send_header("Content-Length", "0")
            self.end_headers()
            return
        with self.lock:
            self.counts["200"] += 1
        self.send_response(200)
        self.send_header("Content-Type", "application/rss+xml")
        self.send_header("ETag", etag)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--feeds", type=int, default=1000)
    parser.add_argument("--hosts", type=int, default=8)
    parser.add_argument("--database-url", default="")
    args = parser.parse_args()

    httpd = ThreadingHTTPServer(("", 0), Handler)  # noqa: S104 - loopback aliases only
    httpd.daemon_threads = True
    port = httpd.server_address[1]
    threading.Thread(target=httpd.serve_forever, daemon=True).start()

    work = Path(tempfile.mkdtemp(prefix="asrhub-bench-feeds-"))
    hosts = [f"127.0.0.{n + 1}" for n in range(args.hosts)]
    os.environ.update(
        DJANGO_SETTINGS_MODULE="asrhub.settings",
        DATABASE_URL=args.database_url or f"sqlite:///{work / 'db.sqlite3'}",
        ASRHUB_FETCH_ALLOWLIST=",".join(f"{host}:{port}" for host in hosts),
    )
    import django

    django.setup()
    from django.core.management import call_command

    from catalogue.models import FeedEntry, Resource

    call_command("migrate", verbosity=0)
    Resource.objects.filter(slug__startswith="bench-feed-").delete()
    Resource.objects.bulk_create(
        Resource(
            title=f"Bench feed {n}",
            slug=f"bench-feed-{n}",
            kind="blog",
            url=f"https://feeds.example/{n}",
            feed_url=f"http://{hosts[n % len(hosts)]}:{port}/{n}.xml",
            summary="A benchmark feed.",
            is_published=True,
        )
        for n in range(args.feeds)
    )
    report: dict = {
        "feeds": args.feeds,
        "hosts": args.hosts,
        "database": os.environ["DATABASE_URL"].split(":")[0],
    }
    for name in ("first pass", "second pass (304)"):
        Resource.objects.filter(slug__startswith="bench-feed-").update(feed_next_fetch_at=None)
        out = io.StringIO()
        start = time.perf_counter()
        call_command("fetch_feeds", stdout=out)
        report[name] = {
            "seconds": round(time.perf_counter() - start, 2),
            "summary": out.getvalue().strip(),
        }
    report["entries stored"] = FeedEntry.objects.filter(
        resource__slug__startswith="bench-feed-"
    ).count()
    report["server answers"] = dict(Handler.counts)
    report["errors"] = Resource.objects.filter(
        slug__startswith="bench-feed-", feed_error_count__gt=0
    ).count()
    httpd.shutdown()
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
