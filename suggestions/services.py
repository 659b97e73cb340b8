"""Filing suggestions under the daily limit, from the form or from an OPML import."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction

from catalogue.models import Resource
from suggestions.models import DAILY_LIMIT, Suggestion
from suggestions.validators import http_url_validator, no_control_characters

#: An OPML import looks at this many unknown feeds at most (its result page lists 200).
MAX_OPML_FEEDS = 200
#: Addresses per IN (...) lookup: 8 spellings per feed stay far below SQLite's limit.
LOOKUP_CHUNK = 500


class DailyLimitReached(Exception):
    """The member has filed DAILY_LIMIT suggestions in the last 24 hours."""


def _lock_member(member) -> None:
    # Serialises one member's concurrent submissions on PostgreSQL so two requests cannot
    # both see 9 and both save (SQLite serialises writers by itself).
    get_user_model().objects.select_for_update().filter(pk=member.pk).first()


def remaining_today(member) -> int:
    return max(0, DAILY_LIMIT - Suggestion.objects.filed_recently(member).count())


def file_suggestion(suggestion: Suggestion) -> Suggestion:
    """Save a new suggestion unless its member is at the daily limit."""
    with transaction.atomic():
        _lock_member(suggestion.member)
        if remaining_today(suggestion.member) <= 0:
            raise DailyLimitReached
        suggestion.save()
    return suggestion


def url_variants(url: str) -> set[str]:
    """The spellings of one address people use interchangeably (scheme, www, final slash)."""
    parts = urlsplit(url.strip())
    host = parts.netloc.rpartition("@")[2].lower().removeprefix("www.")
    if not host:
        return {url}
    path = parts.path.rstrip("/")
    query = f"?{parts.query}" if parts.query else ""
    return {
        f"{scheme}://{prefix}{host}{p}{query}"
        for scheme in ("https", "http")
        for prefix in ("", "www.")
        for p in (path, path + "/")
    }


def known_entry(url: str) -> Resource | None:
    """An entry already in the catalogue (published or not) at this address or feed."""
    variants = url_variants(url)
    return (
        Resource.objects.filter(url__in=variants).first()
        or Resource.objects.filter(feed_url__in=variants).first()
    )


@dataclass
class FeedSuggestions:
    """What became of the unmatched feeds of an OPML import."""

    sent: list[str] = field(default_factory=list)
    already_suggested: list[str] = field(default_factory=list)
    over_limit: list[str] = field(default_factory=list)


def _valid_feed_url(url: str) -> bool:
    if len(url) > 500:
        return False
    try:
        no_control_characters(url)
        http_url_validator(url)
    except ValidationError:
        return False
    return True


def _known_addresses(variants: set[str]) -> set[str]:
    """Which of these addresses an entry (site or feed) or a suggestion already has."""
    known: set[str] = set()
    ordered = sorted(variants)
    for i in range(0, len(ordered), LOOKUP_CHUNK):
        chunk = ordered[i : i + LOOKUP_CHUNK]
        known.update(Resource.objects.filter(url__in=chunk).values_list("url", flat=True))
        known.update(Resource.objects.filter(feed_url__in=chunk).values_list("feed_url", flat=True))
        known.update(Suggestion.objects.filter(url__in=chunk).values_list("url", flat=True))
    return known


def suggest_feeds(member, urls: list[str]) -> FeedSuggestions:
    """Turn feeds of an OPML import that match no entry into suggestions for curators.

    Each address is suggested once (not again if any member already suggested it or it is
    in the catalogue), invalid addresses are skipped, and the member's daily limit holds:
    what is over it is reported, not saved. At most MAX_OPML_FEEDS addresses are looked
    at, in a constant number of queries.
    """
    candidates: list[tuple[str, set[str]]] = []
    seen: set[str] = set()
    for url in (url.strip() for url in urls):
        if len(candidates) >= MAX_OPML_FEEDS:
            break
        if not _valid_feed_url(url):
            continue
        variants = url_variants(url)
        if not variants & seen:
            seen |= variants
            candidates.append((url, variants))
    result = FeedSuggestions()
    if not candidates:
        return result
    with transaction.atomic():
        _lock_member(member)
        room = remaining_today(member)
        known = _known_addresses(seen)
        new: list[Suggestion] = []
        for url, variants in candidates:
            if variants & known:
                result.already_suggested.append(url)
            elif len(new) >= room:
                result.over_limit.append(url)
            else:
                new.append(
                    Suggestion(
                        member=member,
                        kind=Suggestion.Kind.NEW_ENTRY,
                        source=Suggestion.Source.OPML,
                        title=f"Feed at {urlsplit(url).hostname}"[:200],
                        url=url,
                        message="In the member's feed reader (OPML import); no entry has it.",
                    )
                )
                result.sent.append(url)
        Suggestion.objects.bulk_create(new)
    return result
