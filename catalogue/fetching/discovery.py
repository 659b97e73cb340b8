"""Feed discovery: propose a feed URL for a resource from its page; curators confirm."""

from __future__ import annotations

import contextlib
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

from catalogue.fetching.client import FetchError, fetch
from catalogue.fetching.feeds import DOCTYPE_ENTITY

FEED_TYPES = {"application/rss+xml", "application/atom+xml", "application/feed+json"}
COMMON_PATHS = ["/feed", "/feed.xml", "/rss", "/rss.xml", "/atom.xml", "/index.xml", "/feed/"]
YOUTUBE_FEED = "https://www.youtube.com/feeds/videos.xml?channel_id={}"
CHANNEL_ID = re.compile(r'"(?:channelId|externalId)"\s*:\s*"(UC[\w-]{22})"')
CHANNEL_META = re.compile(r'itemprop="(?:channelId|identifier)"\s+content="(UC[\w-]{22})"')


class AlternateLinks(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.feeds: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        if tag != "link":
            return
        values = {name.lower(): (value or "") for name, value in attrs}
        rel = values.get("rel", "").lower().split()
        if (
            "alternate" in rel
            and values.get("type", "").lower() in FEED_TYPES
            and values.get("href")
        ):
            self.feeds.append(values["href"])


def youtube_channel_feed(url: str, html: str) -> str:
    match = (
        re.search(r"/channel/(UC[\w-]{22})", url)
        or CHANNEL_META.search(html)
        or CHANNEL_ID.search(html)
    )
    return YOUTUBE_FEED.format(match.group(1)) if match else ""


def looks_like_feed(body: bytes) -> bool:
    head = body[:2048].lstrip().lower()
    return not DOCTYPE_ENTITY.search(body[:65536]) and (
        b"<rss" in head or b"<feed" in head or b"<rdf:rdf" in head
    )


def discover(url: str) -> list[str]:
    """Candidate feed URLs for the page at ``url``, best first (may be empty)."""
    try:
        page = fetch(url, max_body=2 * 1024 * 1024)
    except FetchError:
        return []
    html = page.body.decode("utf-8", "replace")
    host = (urlsplit(page.url).hostname or "").lower()
    if host.endswith("youtube.com"):
        feed = youtube_channel_feed(page.url, html)
        return [feed] if feed else []
    parser = AlternateLinks()
    with contextlib.suppress(Exception):  # broken HTML still yields what was parsed
        parser.feed(html)
    candidates = [urljoin(page.url, href) for href in parser.feeds]
    if candidates:
        return list(dict.fromkeys(candidates))
    found = []
    for path in COMMON_PATHS:
        try:
            response = fetch(urljoin(page.url, path), max_body=512 * 1024, total_timeout=10)
        except FetchError:
            continue
        if response.status == 200 and looks_like_feed(response.body):
            found.append(response.url)
            break
    return found
