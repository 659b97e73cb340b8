"""Fetch one resource's feed politely and store its entries.

Conditional GET with the validators stored exactly as received (and updated on a 304),
``Retry-After`` on 429/503, exponential backoff on errors, entries deduplicated by guid
(then link, then a hash of title and date), summaries sanitised with nh3, times in UTC,
and only the newest ``ASRHUB_FEED_ENTRIES_KEPT`` entries kept.
"""

from __future__ import annotations

import calendar
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email.utils import parsedate_to_datetime

import feedparser
import nh3
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from feedparser.encodings import convert_to_utf8

import river.ingest
from catalogue.fetching.client import FetchError, fetch
from catalogue.models import FeedEntry, Resource

INTERVAL = dt.timedelta(hours=1)
BACKOFF_BASE = dt.timedelta(minutes=15)
BACKOFF_MAX = dt.timedelta(hours=24)
RETRY_AFTER_MAX = dt.timedelta(days=2)
FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/xml", "text/xml")
# Entity declarations are how "billion laughs" and external-entity attacks start; no
# real feed needs one, so such documents are refused before any parser sees them. The
# whole (capped) body is scanned: a prolog padded with comments must not hide one.
DOCTYPE_ENTITY = re.compile(rb"<!ENTITY", re.IGNORECASE)
SUMMARY_TAGS = {
    "a",
    "p",
    "br",
    "em",
    "strong",
    "b",
    "i",
    "ul",
    "ol",
    "li",
    "blockquote",
    "code",
    "pre",
}


ENTRY_FIELDS = ("guid", "title", "link", "summary", "published_at")


@dataclass
class Outcome:
    status: str  # "ok", "not-modified", "error"
    new_entries: int = 0
    message: str = ""


def retry_after(value: str, now: dt.datetime) -> dt.datetime | None:
    value = value.strip()
    if not value:
        return None
    if value.isdigit():
        delay = dt.timedelta(seconds=int(value))
    else:
        try:
            when = parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when.tzinfo is None:
            when = when.replace(tzinfo=dt.UTC)
        delay = when - now
    delay = max(dt.timedelta(0), min(delay, RETRY_AFTER_MAX))
    return now + delay


def backoff(errors: int) -> dt.timedelta:
    return min(BACKOFF_BASE * (2 ** max(0, errors - 1)), BACKOFF_MAX)


def entry_time(entry) -> dt.datetime | None:
    """Published, else updated, else created, as an aware UTC time; None when undated."""
    for key in ("published_parsed", "updated_parsed", "created_parsed"):
        parsed = entry.get(key)
        if parsed:
            try:
                return dt.datetime.fromtimestamp(calendar.timegm(parsed), tz=dt.UTC)
            except (OverflowError, ValueError, TypeError):
                continue
    return None


def clean_link(value: str) -> str:
    value = (value or "").strip()
    return value[:1000] if value.startswith(("http://", "https://")) else ""


def entry_guid(entry, title: str, published: dt.datetime | None) -> str:
    guid = (entry.get("id") or entry.get("guid") or "").strip()
    if guid:
        return guid[:500]
    link = clean_link(entry.get("link", ""))
    if link:
        return link[:500]
    # The entry's own date only: "first seen" differs on every fetch and would duplicate.
    stamp = published.isoformat() if published else ""
    digest = hashlib.sha256(f"{title}|{stamp}".encode()).hexdigest()
    return f"sha256:{digest}"


def entry_authors(entry) -> str:
    names = [a.get("name", "") for a in entry.get("authors") or [] if a.get("name")]
    joined = ", ".join(" ".join(n.split()) for n in names)
    return (joined or entry.get("author") or "")[:1000]


def sanitise(html: str) -> str:
    return nh3.clean(html or "", tags=SUMMARY_TAGS, link_rel="noopener nofollow ugc")[:20000]


def parse(body: bytes) -> list[dict]:
    """Entries of a feed document as plain dicts; raises FetchError on unusable input."""
    # feedparser decodes any encoding it recognises (UTF-16/32, EBCDIC, a declared
    # charset) to UTF-8 before parsing: check, and parse, exactly that text.
    text = convert_to_utf8({}, body, {})
    if DOCTYPE_ENTITY.search(body.replace(b"\x00", b"")) or DOCTYPE_ENTITY.search(text):
        raise FetchError("the document declares XML entities; refused", "hostile")
    parsed = feedparser.parse(text, sanitize_html=False, resolve_relative_uris=False)
    if parsed.bozo and not parsed.entries:
        raise FetchError(
            f"not a usable feed: {parsed.get('bozo_exception', 'unknown error')}", "parse"
        )
    now = timezone.now()
    entries = []
    for entry in parsed.entries[:500]:
        title = " ".join((entry.get("title") or "").split())[:500] or "(untitled)"
        dated = entry_time(entry)
        summary = entry.get("summary") or ""
        if not summary and entry.get("content"):
            summary = entry["content"][0].get("value", "")
        entries.append(
            {
                "guid": entry_guid(entry, title, dated),
                "title": title,
                "link": clean_link(entry.get("link", "")),
                "summary": sanitise(summary),
                # Else first seen; a date in the future must not pin an entry on top.
                "published_at": min(dated, now) if dated else now,
                "authors": entry_authors(entry),
            }
        )
    return entries


def store(resource: Resource, entries: list[dict]) -> int:
    """Insert unseen entries, update changed ones, keep the newest N; return how many are new."""
    keep = settings.ASRHUB_FEED_ENTRIES_KEPT
    unique: dict[str, dict] = {}
    for entry in entries:
        unique.setdefault(entry["guid"], entry)
    with transaction.atomic():
        existing = {e.guid: e for e in FeedEntry.objects.filter(resource=resource, guid__in=unique)}
        new = [
            FeedEntry(resource=resource, **{name: entry[name] for name in ENTRY_FIELDS})
            for guid, entry in unique.items()
            if guid not in existing
        ]
        FeedEntry.objects.bulk_create(new, ignore_conflicts=True)
        for guid, entry in unique.items():
            row = existing.get(guid)
            if row and (row.title, row.link, row.summary) != (
                entry["title"],
                entry["link"],
                entry["summary"],
            ):
                row.title, row.link, row.summary = entry["title"], entry["link"], entry["summary"]
                row.save(update_fields=["title", "link", "summary"])
        stale = FeedEntry.objects.filter(resource=resource).order_by("-published_at", "-id")[keep:]
        FeedEntry.objects.filter(pk__in=list(stale.values_list("pk", flat=True))).delete()
        # The river keeps its own, deduplicated copy (with its own retention).
        river.ingest.ingest(resource, list(unique.values()))
    return len(new)


def fetch_feed(resource: Resource, *, now: dt.datetime | None = None) -> Outcome:
    """Fetch, parse and store one feed; record health and when to try next."""
    now = now or timezone.now()
    headers = {"Accept": ", ".join(FEED_TYPES) + ", */*;q=0.5"}
    if resource.feed_etag:
        headers["If-None-Match"] = resource.feed_etag
    if resource.feed_last_modified:
        headers["If-Modified-Since"] = resource.feed_last_modified
    updates: dict = {"feed_checked_at": now}
    try:
        response = fetch(resource.feed_url, headers=headers)
    except FetchError as error:
        return record_error(resource, updates, str(error), None, now)
    updates["feed_last_status"] = response.status
    if response.status in {429, 503}:
        later = retry_after(response.header("retry-after"), now)
        return record_error(resource, updates, f"HTTP {response.status}", later, now)
    if response.status == 304:
        # Servers may send fresh validators with a 304: keep them exactly as received.
        if response.header("etag"):
            updates["feed_etag"] = response.header("etag")[:500]
        if response.header("last-modified"):
            updates["feed_last_modified"] = response.header("last-modified")[:100]
        return record_success(resource, updates, Outcome("not-modified"), now)
    if response.status >= 400:
        return record_error(resource, updates, f"HTTP {response.status}", None, now)
    try:
        entries = parse(response.body)
    except FetchError as error:
        return record_error(resource, updates, str(error), None, now)
    except Exception as error:  # noqa: BLE001 - a parser bug must not stop the round
        message = f"unparsable feed ({type(error).__name__})"
        return record_error(resource, updates, message, None, now)
    new = store(resource, entries)
    updates["feed_etag"] = response.header("etag")[:500]
    updates["feed_last_modified"] = response.header("last-modified")[:100]
    return record_success(resource, updates, Outcome("ok", new), now)


def record_success(
    resource: Resource, updates: dict, outcome: Outcome, now: dt.datetime
) -> Outcome:
    updates.update(
        feed_ok_at=now,
        feed_error_count=0,
        feed_last_error="",
        feed_next_fetch_at=now + INTERVAL,
    )
    save(resource, updates)
    return outcome


def record_error(
    resource: Resource, updates: dict, message: str, later: dt.datetime | None, now: dt.datetime
) -> Outcome:
    errors = resource.feed_error_count + 1
    updates.update(
        feed_error_count=min(errors, 32767),
        feed_last_error=message[:1000],
        feed_next_fetch_at=later or now + backoff(errors),
    )
    save(resource, updates)
    return Outcome("error", message=message)


def save(resource: Resource, updates: dict) -> None:
    # A queryset update: no signals, no search-vector refresh, no updated_at bump.
    Resource.objects.filter(pk=resource.pk).update(**updates)
    for name, value in updates.items():
        setattr(resource, name, value)
