"""Put fetched entries into the river: one post however many feeds carry it.

Called by the feed fetcher after it stores a resource's entries. A fresh entry joins an
existing post when they share an arXiv id, a canonical link or a globally unique guid;
otherwise it becomes a new post. Topics come from the source's topics and from the
catalogue's topic names found in the title and summary.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit

import nh3
from django.contrib.postgres.search import SearchVector
from django.db import IntegrityError, connection, transaction

from catalogue.models import Resource, Topic
from river.models import Post, PostSource, PostTopic

ARXIV_ID = re.compile(
    r"(?:arxiv\.org/(?:abs|pdf)/|oai:arxiv\.org:|arxiv:\s*)"
    r"(\d{4}\.\d{4,5}|[a-z][a-z.-]+/\d{7})(?:v\d+)?",
    re.IGNORECASE,
)
VERSION = re.compile(r"\bv?(\d+\.\d+(?:\.\d+)*(?:[-.]?(?:rc|a|b|alpha|beta|post|dev)\d*)?)\b")
TRACKING = re.compile(r"^(utm_\w+|ref|fbclid|gclid|mc_cid|mc_eid)$", re.IGNORECASE)
KIND_OF_SOURCE = {
    Resource.Kind.ARXIV: Post.Kind.PAPER,
    Resource.Kind.PAPER_TRACKER: Post.Kind.PAPER,
    Resource.Kind.REPOSITORY: Post.Kind.RELEASE,
    Resource.Kind.MODEL: Post.Kind.RELEASE,
    Resource.Kind.PODCAST: Post.Kind.EPISODE,
    Resource.Kind.YOUTUBE: Post.Kind.VIDEO,
    Resource.Kind.SUBREDDIT: Post.Kind.DISCUSSION,
    Resource.Kind.DISCORD: Post.Kind.DISCUSSION,
    Resource.Kind.FORUM: Post.Kind.DISCUSSION,
    Resource.Kind.SOCIAL: Post.Kind.DISCUSSION,
}


def arxiv_id(*texts: str) -> str:
    for text in texts:
        match = ARXIV_ID.search(text or "")
        if match:
            return match.group(1).lower()
    return ""


def canonical_link(link: str) -> str:
    """Scheme-less, lower-case host without www, no fragment, tracking or trailing slash.

    Empty for links to a site's front page: many feeds point every entry there.
    """
    try:
        parts = urlsplit(link.strip())
    except ValueError:
        return ""
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/")
    if not host or not path:
        return ""
    query = sorted((k, v) for k, v in parse_qsl(parts.query) if not TRACKING.match(k))
    return (host + path + ("?" + urlencode(query) if query else ""))[:1000]


def globally_unique(guid: str) -> bool:
    """A guid that can identify a post across feeds (a URL or URN), not a bare counter."""
    return len(guid) >= 12 and (":" in guid or "/" in guid) and not guid.startswith("sha256:")


def plain_text(html: str) -> str:
    return " ".join(nh3.clean(html or "", tags=set()).split())


@dataclass
class TopicMatcher:
    patterns: list[tuple[int, re.Pattern]]

    @classmethod
    def from_catalogue(cls) -> TopicMatcher:
        patterns = []
        for pk, name, slug in Topic.objects.values_list("pk", "name", "slug"):
            names = {name.lower(), slug.replace("-", " "), slug}
            alternatives = "|".join(
                re.escape(n).replace(r"\ ", r"[\s-]") for n in sorted(names) if len(n) > 2
            )
            if alternatives:
                patterns.append((pk, re.compile(rf"\b(?:{alternatives})\b", re.IGNORECASE)))
        return cls(patterns)

    def topics(self, text: str) -> set[int]:
        return {pk for pk, pattern in self.patterns if pattern.search(text)}


def post_fields(resource: Resource, entry: dict) -> dict:
    paper = arxiv_id(entry["guid"], entry["link"])
    kind = Post.Kind.PAPER if paper else KIND_OF_SOURCE.get(resource.kind, Post.Kind.BLOG)
    version = ""
    if kind == Post.Kind.RELEASE:
        match = VERSION.search(entry["title"])
        version = match.group(1)[:100] if match else ""
    return {
        "guid": entry["guid"][:500],
        "link": entry["link"],
        "canonical_link": canonical_link(entry["link"]),
        "arxiv_id": paper,
        "kind": kind,
        "title": entry["title"],
        "summary": entry["summary"],
        "authors": (entry.get("authors") or "")[:1000],
        "version": version,
        "published_at": entry["published_at"],
    }


def ingest(resource: Resource, entries: list[dict]) -> int:
    """Add a resource's fetched entries to the river; return how many posts are new."""
    known = set(
        PostSource.objects.filter(
            resource=resource, guid__in=[e["guid"] for e in entries]
        ).values_list("guid", flat=True)
    )
    fresh = [post_fields(resource, e) for e in entries if e["guid"] not in known]
    if not fresh:
        return 0
    by_arxiv = dict(
        Post.objects.filter(arxiv_id__in={f["arxiv_id"] for f in fresh} - {""}).values_list(
            "arxiv_id", "pk"
        )
    )
    by_link = dict(
        Post.objects.filter(
            canonical_link__in={f["canonical_link"] for f in fresh} - {""}
        ).values_list("canonical_link", "pk")
    )
    by_guid = dict(
        Post.objects.filter(
            guid__in={f["guid"] for f in fresh if globally_unique(f["guid"])}
        ).values_list("guid", "pk")
    )
    source_topics = set(resource.topics.values_list("pk", flat=True))
    matcher = TopicMatcher.from_catalogue()
    created: list[int] = []
    links: list[PostSource] = []
    topics: list[PostTopic] = []
    # New posts are inserted in one order (by their keys), so two fetches storing the same
    # posts at once wait for each other instead of deadlocking.
    fresh.sort(key=lambda f: (f["arxiv_id"], f["canonical_link"], f["guid"]))
    for fields in fresh:
        pk = (
            (fields["arxiv_id"] and by_arxiv.get(fields["arxiv_id"]))
            or (fields["canonical_link"] and by_link.get(fields["canonical_link"]))
            or (globally_unique(fields["guid"]) and by_guid.get(fields["guid"]))
        )
        about = set(source_topics)
        if not pk:
            pk, new = create_or_join(fields)
            if new:
                created.append(pk)
                about |= matcher.topics(fields["title"] + " " + plain_text(fields["summary"]))
            if fields["arxiv_id"]:
                by_arxiv[fields["arxiv_id"]] = pk
            if fields["canonical_link"]:
                by_link[fields["canonical_link"]] = pk
            by_guid[fields["guid"]] = pk
        published = fields["published_at"]
        links.append(
            PostSource(post_id=pk, resource=resource, guid=fields["guid"], published_at=published)
        )
        topics.extend(PostTopic(post_id=pk, topic_id=t, published_at=published) for t in about)
    PostSource.objects.bulk_create(links, ignore_conflicts=True)
    PostTopic.objects.bulk_create(topics, ignore_conflicts=True)
    if created and connection.vendor == "postgresql":
        Post.objects.filter(pk__in=created).update(search_vector=VECTOR)
    return len(created)


def existing_post(fields: dict) -> int | None:
    """The post that already has one of these dedup keys (arXiv id, link, guid), if any."""
    keys = [("arxiv_id", fields["arxiv_id"]), ("canonical_link", fields["canonical_link"])]
    if globally_unique(fields["guid"]):
        keys.append(("guid", fields["guid"]))
    for name, value in keys:
        if value:
            pk = Post.objects.filter(**{name: value}).values_list("pk", flat=True).first()
            if pk:
                return pk
    return None


def create_or_join(fields: dict) -> tuple[int, bool]:
    """Insert a new post, or, when another fetch stored one with the same key since we
    looked (the unique constraints on the dedup keys refuse the second), join that one.

    Returns the post's id and whether it is new. The insert runs in a savepoint, so the
    conflict leaves the caller's transaction usable.
    """
    try:
        with transaction.atomic():
            return Post.objects.create(**fields).pk, True
    except IntegrityError:
        pk = existing_post(fields)
        if pk is None:  # not a dedup conflict after all
            raise
        return pk, False


VECTOR = SearchVector("title", weight="A", config="english") + SearchVector(
    "summary", weight="B", config="english"
)
