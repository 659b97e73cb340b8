"""The realistic search workload: distinct URLs people would ask, Zipf popularity, 16 clients.

    .venv/bin/python bench/workload.py                       # SQLite, 1,000 entries
    DB=postgres://postgres@127.0.0.1:5432/asrhub_bench
    .venv/bin/python bench/workload.py --database-url $DB --resources 100000

The five-URL mix of ``bench/search.py`` measures what the rendered-results cache serves.
This one measures what users get when they search as people do, most URLs being new:

1. Prepares the database (migrate, the real catalogue, synthetic entries up to
   ``--resources``) unless ``--skip-prepare``; empties the shared cache (Redis).
2. Builds ``--urls`` distinct URLs from the catalogue's own words: one- and two-word
   queries taken from titles and descriptions (weighted by how often the words occur),
   typos of title words, 0–3 facets (kind, level, cost, medium, topic, category), pages
   1–3 and the four sorts, on ``/resources/`` and ``/categories/<slug>/``. Each URL gets a
   Zipf weight (exponent ``--zipf``), and a request sequence of ``--requests`` is drawn
   from them: a few URLs are popular, most are asked once.
3. **Single new search**: one request at a time over ``--single`` URLs never asked
   before (cache state: the catalogue's facet index warm, nothing cached for the URL).
4. **Workload**: production gunicorn (``deploy/gunicorn.conf.py``, ``--workers``) with
   Redis, ``--connections`` keep-alive clients replaying the sequence back to back. The
   cache starts empty; the report says how many requests were a URL's first.
5. **After an edit** (``--edit``): a resource in the results is renamed through the ORM
   (as the admin does: signals bump the catalogue version), then ``--connections``
   requests are sent at once for a search that shows it; reports p95 and whether any
   answer still showed the old title.
6. Worker memory: the RSS of every gunicorn worker at the end (``--soak`` seconds of the
   workload first, sampling RSS each minute, for the flat-memory check).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.append(str(ROOT / "bench"))  # last: bench/suggestions.py must not hide the app

import _harness as harness  # noqa: E402 - bench/ is on the path only from here

SORTS = ["relevance", "title", "newest", "updated"]
FACETS = ["kind", "level", "cost", "medium", "topic", "category"]
WORD = re.compile(r"[a-z][a-z0-9]{3,}")
STOP = {
    "with",
    "that",
    "this",
    "from",
    "have",
    "their",
    "about",
    "which",
    "other",
    "what",
    "your",
    "they",
    "into",
    "more",
    "than",
    "also",
    "most",
    "where",
    "when",
    "will",
}


def catalogue_words() -> dict:
    """Words, facet values and slugs from the database the server will use."""
    import django

    django.setup()
    from catalogue.models import Category, Resource, Topic

    titles: Counter = Counter()
    text: Counter = Counter()
    rows = Resource.objects.published().values_list("title", "summary")
    for title, summary in rows.iterator(chunk_size=5000):
        for word in WORD.findall(title.lower()):
            if word not in STOP:
                titles[word] += 1
        for word in WORD.findall(summary.lower()):
            if word not in STOP:
                text[word] += 1
    return {
        "title_words": titles.most_common(400),
        "text_words": text.most_common(800),
        "kind": [value for value, _ in Resource.Kind.choices],
        "level": [value for value, _ in Resource.Level.choices],
        "cost": [value for value, _ in Resource.Cost.choices],
        "medium": [value for value, _ in Resource.Medium.choices],
        "topic": list(Topic.objects.values_list("slug", flat=True)),
        "category": list(Category.objects.values_list("slug", flat=True)),
    }


def typo(word: str, rng: random.Random) -> str:
    position = rng.randrange(1, len(word))
    edit = rng.choice(["drop", "swap", "double"])
    if edit == "drop":
        return word[:position] + word[position + 1 :]
    if edit == "swap" and position < len(word) - 1:
        return word[:position] + word[position + 1] + word[position] + word[position + 2 :]
    return word[:position] + word[position] + word[position:]


def build_urls(words: dict, count: int, seed: int) -> list[str]:
    """``count`` distinct URLs, in a random order (the order becomes the popularity rank)."""
    rng = random.Random(seed)
    vocabulary = [w for w, _ in words["text_words"]] + [w for w, _ in words["title_words"]]
    weights = [n for _, n in words["text_words"]] + [n for _, n in words["title_words"]]
    titles = [w for w, _ in words["title_words"]]
    urls: set[str] = set()
    attempts = 0
    while len(urls) < count and attempts < count * 50:
        attempts += 1
        params: list[tuple[str, str]] = []
        shape = rng.random()
        if shape < 0.45:
            params.append(("q", rng.choices(vocabulary, weights)[0]))
        elif shape < 0.70:
            first, second = rng.choices(vocabulary, weights, k=2)
            if first != second:
                params.append(("q", f"{first} {second}"))
        elif shape < 0.80 and titles:
            params.append(("q", typo(rng.choice(titles), rng)))
        # else: no search text, facets only
        for facet in rng.sample(FACETS, rng.choice([0, 0, 1, 1, 2, 3])):
            if words[facet]:
                params.append((facet, rng.choice(words[facet])))
        sort = rng.choice(SORTS + [""] * 4)
        if sort:
            params.append(("sort", sort))
        page = rng.choice([1] * 6 + [2, 2, 3])
        if page > 1:
            params.append(("page", str(page)))
        path = "/resources/"
        if rng.random() < 0.15 and words["category"]:
            path = f"/categories/{rng.choice(words['category'])}/"
            params = [pair for pair in params if pair[0] != "category"]
        urls.add(f"{path}?{urlencode(params)}" if params else path)
    ordered = sorted(urls)
    rng.shuffle(ordered)
    return ordered


def zipf_sequence(urls: list[str], requests: int, exponent: float, seed: int) -> list[str]:
    rng = random.Random(seed + 1)
    weights = [1 / (rank + 1) ** exponent for rank in range(len(urls))]
    return rng.choices(urls, weights, k=requests)


class Replay:
    """``connections`` keep-alive clients sending the sequence in order, back to back."""

    def __init__(self, base_url: str, sequence: list[str]) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.sequence = sequence
        self.next = 0
        self.lock = threading.Lock()
        self.latencies: list[float] = []
        self.errors: list[str] = []
        self.not_found = 0
        self.bodies: list[str] = []
        self.keep_bodies = False

    def take(self) -> str | None:
        with self.lock:
            if self.next >= len(self.sequence) or time.perf_counter() > self.deadline:
                return None
            path = self.sequence[self.next]
            self.next += 1
            return path

    def client(self) -> None:
        connection = None
        while (path := self.take()) is not None:
            start = time.perf_counter()
            ok, missing, body = False, False, ""
            try:
                if connection is None:
                    connection = http.client.HTTPConnection(self.host, self.port, timeout=30)
                connection.request(
                    "GET", path, headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"}
                )
                response = connection.getresponse()
                raw = response.read()
                # A page past the end is a 404 by design: an answer, not an error.
                ok = response.status < 400 or response.status == 404
                missing = response.status == 404
                if self.keep_bodies:
                    body = raw.decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if connection is not None:
                    connection.close()
                connection = None
            elapsed = time.perf_counter() - start
            with self.lock:
                self.latencies.append(elapsed)
                if not ok:
                    self.errors.append(path)
                self.not_found += missing
                if self.keep_bodies:
                    self.bodies.append(body)

    def run(self, connections: int, max_seconds: float) -> dict:
        self.deadline = time.perf_counter() + max_seconds
        start = time.perf_counter()
        threads = [threading.Thread(target=self.client) for _ in range(connections)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        elapsed = time.perf_counter() - start
        report = harness.latency_summary(self.latencies)
        report.update(
            {
                "seconds": round(elapsed, 1),
                "rps": round(len(self.latencies) / elapsed, 1),
                "errors": len(self.errors),
                "not_found_pages": self.not_found,
                "error_paths": sorted(set(self.errors))[:5],
            }
        )
        return report


def worker_rss(master_pid: int) -> list[float]:
    """RSS in MB of every child of the gunicorn master (its workers)."""
    sizes = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            status = (entry / "status").read_text()
        except OSError:
            continue
        fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
        if fields.get("PPid", "").strip() == str(master_pid) and "VmRSS" in fields:
            sizes.append(round(int(fields["VmRSS"].split()[0]) / 1024, 1))
    return sorted(sizes)


def single_new_searches(base_url: str, urls: list[str]) -> dict:
    replay = Replay(base_url, urls)
    return replay.run(1, 600)


def after_edit(base_url: str, connections: int) -> dict:
    """Rename a resource a search shows, then ask that search ``connections`` times at once."""
    from catalogue.models import Resource

    resource = (
        Resource.objects.published().filter(kind="repository").order_by("pk").first()
        or Resource.objects.published().order_by("pk").first()
    )
    word = WORD.findall(resource.title.lower())
    query = word[0] if word else resource.slug.split("-")[0]
    path = f"/resources/?{urlencode({'q': query, 'kind': resource.kind})}"
    warm = Replay(base_url, [path])
    warm.run(1, 30)  # the search is cached before the edit
    marker = f"edited{int(time.time())}"
    old_title = resource.title
    resource.title = f"{old_title} {marker}"
    resource.save()  # as the admin does: the change hooks run, the version moves on
    try:
        replay = Replay(base_url, [path] * connections)
        replay.keep_bodies = True
        report = replay.run(connections, 60)
        report["stale_answers"] = sum(marker not in body for body in replay.bodies)
        report["path"] = path
    finally:
        resource.title = old_title
        resource.save()
    return report


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    harness.load_arguments(parser, resources=1000, connections=16, redis_db=14)
    parser.add_argument("--urls", type=int, default=1500)
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--zipf", type=float, default=1.0)
    parser.add_argument("--single", type=int, default=200)
    parser.add_argument("--max-seconds", type=float, default=300)
    parser.add_argument("--soak", type=float, default=0, help="seconds of workload for RSS")
    parser.add_argument("--edit", action="store_true", help="measure 16 requests after an edit")
    harness.server_arguments(parser, port=8769)
    parser.add_argument("--seed", type=int, default=2026)
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="asrhub-workload-"))
    database_url = args.database_url or "sqlite:////tmp/asrhub-bench-workload.sqlite3"
    env = harness.production_env(
        "workload",
        database_url,
        work / "static",
        redis_url=args.redis_url,
        WEB_CONCURRENCY=str(args.workers),
        PORT=str(args.port),
        GUNICORN_ACCESS_LOG="/dev/null",
    )
    harness.prepare(env, resources=max(0, args.resources - 110), skip=args.skip_prepare)
    os.environ.update(env)
    harness.flush_redis(args.redis_url)

    words = catalogue_words()
    urls = build_urls(words, args.urls + args.single, args.seed)
    single_urls, urls = urls[: args.single], urls[args.single :]
    sequence = zipf_sequence(urls, args.requests, args.zipf, args.seed)
    asked = Counter(sequence)
    base_url = f"http://127.0.0.1:{args.port}"
    report: dict = {
        "database": database_url.split(":")[0],
        "resources": args.resources,
        "workers": args.workers,
        "connections": args.connections,
        "cpus": os.cpu_count(),
        "distinct_urls_asked": len(asked),
        "share_of_urls_asked_once": round(sum(n == 1 for n in asked.values()) / len(asked), 3),
        "share_of_requests_first_for_their_url": round(len(asked) / len(sequence), 3),
        "cache_state": "Redis emptied before the run; each URL's first request is a miss",
    }
    with harness.gunicorn(env, args.port) as server:
        # Warm the per-process state every worker needs whatever the URL (facet index,
        # connections), as a server that has been up a while has: not the URLs' results.
        Replay(base_url, ["/resources/?sort=title"] * (args.workers * 4)).run(args.workers, 60)
        report["single_new_search"] = single_new_searches(base_url, single_urls)
        report["workload"] = Replay(base_url, sequence).run(args.connections, args.max_seconds)
        if args.soak:
            samples = []
            soak_end = time.time() + args.soak
            while time.time() < soak_end:
                rng_sequence = zipf_sequence(urls, 100_000, args.zipf, int(time.time()))
                minute = min(60, soak_end - time.time())
                Replay(base_url, rng_sequence).run(args.connections, minute)
                samples.append(worker_rss(server.pid))
            report["soak_rss_mb_per_minute"] = samples
        if args.edit:
            report["after_edit"] = after_edit(base_url, args.connections)
        report["worker_rss_mb"] = worker_rss(server.pid)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
