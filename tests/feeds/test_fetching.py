"""Fetching feeds from a local server: formats, politeness, backoff and hostile input."""

import datetime as dt
import gzip
import io
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

from catalogue.fetching import client as http
from catalogue.fetching.feeds import fetch_feed
from catalogue.models import FeedEntry, Resource
from tests.factories import ResourceFactory
from tests.support.feed_server import Reply

pytestmark = pytest.mark.django_db
DATA = Path(__file__).parent / "data"
NOW = dt.datetime(2026, 11, 25, 12, 0, tzinfo=dt.UTC)


def feed(server, path="/feed.xml", **kwargs) -> Resource:
    return ResourceFactory(feed_url=server.url(path), **kwargs)


def test_rss2(server):
    server.routes["/feed.xml"] = Reply(body=(DATA / "rss2.xml").read_bytes())
    resource = feed(server)
    outcome = fetch_feed(resource)
    assert outcome.status == "ok" and outcome.new_entries == 4
    entries = {e.title: e for e in FeedEntry.objects.filter(resource=resource)}
    whisper = entries["Fine-tuning Whisper"]
    assert whisper.guid == "https://blog.example/?p=2"
    assert whisper.published_at == dt.datetime(2026, 11, 24, 9, 0, tzinfo=dt.UTC)
    assert "<b>fine-tune</b>" in whisper.summary
    assert "script" not in whisper.summary and "onerror" not in whisper.summary
    assert entries["No guid here"].guid == "https://blog.example/no-guid"
    assert entries["Neither guid nor link"].guid.startswith("sha256:")
    assert entries["A javascript link"].link == ""
    resource.refresh_from_db()
    assert resource.feed_error_count == 0 and resource.feed_ok_at is not None
    assert resource.feed_last_status == 200


def test_atom_and_rdf(server):
    server.routes["/atom"] = Reply(body=(DATA / "atom.xml").read_bytes())
    server.routes["/rdf"] = Reply(body=(DATA / "rdf.xml").read_bytes())
    atom, rdf = feed(server, "/atom"), feed(server, "/rdf")
    fetch_feed(atom)
    fetch_feed(rdf)
    releases = list(FeedEntry.objects.filter(resource=atom).newest())
    assert [e.title for e in releases] == ["v1.2", "v1.1"]
    assert releases[1].published_at == dt.datetime(2026, 10, 1, 13, 30, tzinfo=dt.UTC)
    assert "<li>Faster decoding</li>" in releases[0].summary
    paper = FeedEntry.objects.get(resource=rdf)
    assert paper.link == "http://arxiv.org/abs/2611.00001"
    assert paper.published_at == dt.datetime(2026, 11, 24, 5, 30, tzinfo=dt.UTC)


def test_entries_are_deduplicated_and_only_the_newest_are_kept(server, settings):
    settings.ASRHUB_FEED_ENTRIES_KEPT = 2
    server.routes["/feed.xml"] = Reply(body=(DATA / "atom.xml").read_bytes())
    resource = feed(server)
    fetch_feed(resource)
    assert fetch_feed(resource).new_entries == 0
    assert FeedEntry.objects.filter(resource=resource).count() == 2
    server.routes["/feed.xml"] = Reply(body=(DATA / "rss2.xml").read_bytes())
    fetch_feed(resource)
    kept = FeedEntry.objects.filter(resource=resource)
    assert kept.count() == 2


def test_undated_entries_without_guid_or_link_are_not_duplicated(server):
    server.routes["/feed.xml"] = Reply(body=(DATA / "rss2.xml").read_bytes())
    resource = feed(server)
    with time_machine.travel(NOW, tick=False):
        assert fetch_feed(resource).new_entries == 4
    with time_machine.travel(NOW + dt.timedelta(hours=2), tick=False):
        assert fetch_feed(resource).new_entries == 0
    undated = FeedEntry.objects.get(resource=resource, title="Neither guid nor link")
    assert undated.guid.startswith("sha256:") and undated.published_at == NOW


def test_conditional_get_and_validators_updated_on_304(server):
    def conditional(handler):
        if handler.headers.get("If-None-Match") == '"v1"':
            return Reply(
                304, headers={"ETag": '"v2"', "Last-Modified": "Wed, 25 Nov 2026 10:00:00 GMT"}
            )
        return Reply(
            body=(DATA / "atom.xml").read_bytes(),
            headers={"ETag": '"v1"', "Last-Modified": "Tue, 24 Nov 2026 10:00:00 GMT"},
        )

    server.routes["/feed.xml"] = conditional
    resource = feed(server)
    fetch_feed(resource)
    resource.refresh_from_db()
    assert (resource.feed_etag, resource.feed_last_modified) == (
        '"v1"',
        "Tue, 24 Nov 2026 10:00:00 GMT",
    )
    assert fetch_feed(resource).status == "not-modified"
    sent = server.requests[-1][2]
    assert sent["If-None-Match"] == '"v1"'
    assert sent["If-Modified-Since"] == "Tue, 24 Nov 2026 10:00:00 GMT"
    assert "ASRHub" in sent["User-Agent"]
    resource.refresh_from_db()
    assert (resource.feed_etag, resource.feed_last_modified) == (
        '"v2"',
        "Wed, 25 Nov 2026 10:00:00 GMT",
    )
    assert resource.feed_error_count == 0


def test_429_honours_retry_after(server):
    server.routes["/feed.xml"] = Reply(429, headers={"Retry-After": "7200"})
    resource = feed(server)
    with time_machine.travel(NOW, tick=False):
        fetch_feed(resource)
    resource.refresh_from_db()
    assert resource.feed_next_fetch_at == NOW + dt.timedelta(hours=2)
    assert resource.feed_error_count == 1 and resource.feed_last_status == 429


def test_503_with_a_date_and_errors_back_off_exponentially(server):
    server.routes["/feed.xml"] = Reply(
        503, headers={"Retry-After": "Wed, 25 Nov 2026 13:00:00 GMT"}
    )
    resource = feed(server)
    with time_machine.travel(NOW, tick=False):
        fetch_feed(resource)
    resource.refresh_from_db()
    assert resource.feed_next_fetch_at == NOW + dt.timedelta(hours=1)
    server.routes["/feed.xml"] = Reply(500)
    delays = []
    for _ in range(3):
        with time_machine.travel(NOW, tick=False):
            fetch_feed(resource)
        resource.refresh_from_db()
        delays.append(resource.feed_next_fetch_at - NOW)
    assert delays[1] == delays[0] * 2 and delays[2] == delays[1] * 2
    assert resource.feed_error_count == 4
    assert resource.feed_last_error == "HTTP 500"


def test_redirect_to_another_local_address_is_refused(server):
    server.routes["/feed.xml"] = Reply(
        302, headers={"Location": f"http://127.0.0.2:{server.port}/x"}
    )
    resource = feed(server)
    outcome = fetch_feed(resource)
    assert outcome.status == "error" and "non-public" in outcome.message


def test_local_addresses_are_refused_without_the_allowlist(server, settings):
    settings.ASRHUB_FETCH_ALLOWLIST = []
    server.routes["/feed.xml"] = Reply(body=(DATA / "atom.xml").read_bytes())
    with pytest.raises(http.BlockedAddress):
        http.fetch(server.url("/feed.xml"))
    assert server.requests == []


@pytest.mark.parametrize(
    "address",
    [
        "10.0.0.1",
        "192.168.1.1",
        "169.254.169.254",
        "100.64.0.1",
        "224.0.0.1",
        "::1",
        "fd00::1",
        "0.0.0.0",  # noqa: S104 - an address to refuse, not to bind
        "::ffff:127.0.0.1",
    ],
)
def test_non_public_addresses(address):
    assert not http.is_public(address)


def test_public_addresses():
    assert http.is_public("8.8.8.8") and http.is_public("2606:4700::1111")


def test_only_http_and_https(server):
    for url in ("ftp://example.org/feed", "file:///etc/passwd", "gopher://x"):
        with pytest.raises(http.FetchError):
            http.fetch(url)


@pytest.mark.parametrize(
    "location", ["http://[::1", "http://127.0.0.1:99999/", "http://" + "a" * 300 + ".example/"]
)
def test_hostile_redirects_are_fetch_errors(server, location):
    server.routes["/feed.xml"] = Reply(302, headers={"Location": location})
    with pytest.raises(http.FetchError):
        http.fetch(server.url("/feed.xml"))
    resource = feed(server)
    assert fetch_feed(resource).status == "error"


def test_at_most_five_redirects(server):
    for n in range(7):
        server.routes[f"/r{n}"] = Reply(302, headers={"Location": f"/r{n + 1}"})
    server.routes["/r7"] = Reply(body=b"ok")
    with pytest.raises(http.FetchError, match="redirects"):
        http.fetch(server.url("/r0"))
    assert http.fetch(server.url("/r2")).body == b"ok"


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol">
<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<rss version="2.0"><channel><title>&lol3;</title>
<item><title>&lol3;</title></item></channel></rss>"""
XXE = b"""<?xml version="1.0"?>
<!DOCTYPE foo [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>
<rss version="2.0"><channel><title>x</title>
<item><title>&xxe;</title><guid>1</guid></item></channel></rss>"""


@pytest.mark.parametrize(
    ("body", "headers"),
    [
        (BILLION_LAUGHS, {}),
        (BILLION_LAUGHS.replace(b"<!DOCTYPE", b"<!--" + b" " * 70000 + b"-->\n<!DOCTYPE"), {}),
        (BILLION_LAUGHS.decode().replace('"1.0"', '"1.0" encoding="utf-16"').encode("utf-16"), {}),
        (XXE, {}),
        (b"\x00\xff\xfe not xml at all", {}),
        (
            gzip.compress(b"<rss>" + b" " * (6 * 1024 * 1024) + b"</rss>"),
            {"Content-Encoding": "gzip"},
        ),
        (b"<rss>" + b"x" * (5 * 1024 * 1024 + 10) + b"</rss>", {}),
        (b"\x1f\x8b not really gzip", {"Content-Encoding": "gzip"}),
    ],
    ids=[
        "billion-laughs",
        "padded-laughs",
        "utf16-laughs",
        "xxe",
        "binary",
        "gzip-bomb",
        "oversized",
        "bad-gzip",
    ],
)
def test_hostile_feeds_are_errors_not_crashes(server, body, headers):
    server.routes["/feed.xml"] = Reply(body=body, headers=headers)
    resource = feed(server)
    outcome = fetch_feed(resource)
    assert outcome.status == "error"
    assert not FeedEntry.objects.filter(resource=resource).exists()
    resource.refresh_from_db()
    assert resource.feed_error_count == 1 and resource.feed_last_error


def test_a_slow_drip_hits_the_total_deadline(server):
    server.routes["/slow"] = Reply(body=b"<rss>" + b" " * 200 + b"</rss>", drip=0.02)
    with pytest.raises(http.FetchError, match="too long|timed out"):
        http.fetch(server.url("/slow"), total_timeout=0.5, read_timeout=0.5)


def test_a_drip_slower_than_the_deadline_is_cut_at_the_deadline(server):
    import time

    server.routes["/slow"] = Reply(body=b"<rss>" + b" " * 20 + b"</rss>", drip=1.5)
    started = time.monotonic()
    with pytest.raises(http.FetchError, match="too long|timed out"):
        http.fetch(server.url("/slow"), total_timeout=0.4, read_timeout=5)
    assert time.monotonic() - started < 1.2  # one read would otherwise wait 1.5 s


def test_fetch_feeds_command_fetches_what_is_due(server):
    server.routes["/a"] = Reply(body=(DATA / "atom.xml").read_bytes())
    server.routes["/b"] = Reply(body=(DATA / "rdf.xml").read_bytes())
    due = [feed(server, "/a"), feed(server, "/b")]
    later = feed(server, "/a", feed_next_fetch_at=NOW + dt.timedelta(days=30))
    ResourceFactory(feed_url=server.url("/a"), is_published=False)
    call_command("fetch_feeds", "--workers", "1", verbosity=0)
    assert FeedEntry.objects.filter(resource__in=due).count() == 3
    assert not FeedEntry.objects.filter(resource=later).exists()
    call_command("fetch_feeds", "--resource", later.slug, "--force", "--workers", "1", verbosity=0)
    assert FeedEntry.objects.filter(resource=later).count() == 2


def test_overlapping_rounds_skip_on_postgresql(server):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("advisory locks are PostgreSQL's")
    from catalogue.management.commands.fetch_feeds import LOCK_KEY

    server.routes["/a"] = Reply(body=(DATA / "atom.xml").read_bytes())
    resource = feed(server, "/a")
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_lock(%s)", [LOCK_KEY])
        out = io.StringIO()
        call_command("fetch_feeds", "--workers", "1", stdout=out)
        assert "skipped" in out.getvalue()
        assert not FeedEntry.objects.filter(resource=resource).exists()
    finally:
        # Unlock before closing: a closed connection's locks go when the server gets round
        # to ending its session, which may be after the next round has tried the lock.
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [LOCK_KEY])
        other.close()
    call_command("fetch_feeds", "--workers", "1", stdout=io.StringIO())
    assert FeedEntry.objects.filter(resource=resource).count() == 2


def test_malformed_feeds_never_crash(server):
    server.routes["/feed.xml"] = Reply(body=b"<rss><channel><item><title>broken")
    resource = feed(server)
    # feedparser recovers what it can, as feed readers do; anything else is an error.
    assert fetch_feed(resource).status in {"ok", "error"}


def test_concurrency_is_bounded_overall_and_per_host():
    import threading
    import time

    from catalogue.fetching.runner import run_all

    lock = threading.Lock()
    running: dict[str, int] = {}
    peaks: dict[str, int] = {}
    total = {"now": 0, "peak": 0}

    def work(url):
        host = url.split("/")[2]
        with lock:
            running[host] = running.get(host, 0) + 1
            peaks[host] = max(peaks.get(host, 0), running[host])
            total["now"] += 1
            total["peak"] = max(total["peak"], total["now"])
        time.sleep(0.02)
        with lock:
            running[host] -= 1
            total["now"] -= 1
        return url

    urls = [f"https://host{n % 6}.example/feed{n}" for n in range(60)]
    assert run_all(urls, work, lambda u: u, workers=8, per_host=2) == urls
    assert total["peak"] <= 8 and max(peaks.values()) <= 2


def test_hosts_take_turns_so_threads_do_not_queue_on_one_host():
    from catalogue.fetching.runner import interleaved, run_all

    urls = [f"https://a.example/{n}" for n in range(4)] + ["https://b.example/0"]
    assert interleaved(urls, lambda u: u) == [0, 4, 1, 2, 3]
    assert run_all(urls, lambda u: u.upper(), lambda u: u, workers=4) == [u.upper() for u in urls]


def test_https_goes_through_the_same_checks(server, settings):
    url = f"https://127.0.0.1:{server.port}/feed.xml"  # a plain-HTTP server: TLS fails
    with pytest.raises(http.FetchError) as failure:
        http.fetch(url)
    assert failure.value.kind in {"tls", "connect"}
    settings.ASRHUB_FETCH_ALLOWLIST = []
    with pytest.raises(http.BlockedAddress):
        http.fetch(url)


def test_a_gzipped_feed_is_decompressed(server):
    body = (DATA / "rss2.xml").read_bytes()
    server.routes["/feed.xml"] = Reply(
        body=gzip.compress(body), headers={"Content-Encoding": "gzip"}
    )
    resource = feed(server)
    assert fetch_feed(resource).new_entries == 4
    assert "gzip" in server.requests[-1][2].get("Accept-Encoding", "")
