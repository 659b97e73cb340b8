"""Posts as RFC 4287 Atom: the public /latest/ feed and a member's private feed share
how a post becomes an entry and how the document is answered (validators, 304)."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import get_conditional_response
from django.utils.feedgenerator import Atom1Feed
from django.utils.http import http_date

from river.text import xml_safe


def add_post(
    feed: Atom1Feed,
    request: HttpRequest,
    post,
    *,
    title: str,
    home: str,
    sources: list[str],
    categories: Iterable[str] = (),
) -> None:
    """One post as an entry; ``home`` is its link when the post has none of its own."""
    feed.add_item(
        title=xml_safe(title),
        link=post.link or request.build_absolute_uri(home),
        description=xml_safe(post.summary),
        unique_id=f"tag:asrhub,2026:post:{post.pk}",
        unique_id_is_permalink=False,
        pubdate=post.published_at,
        updateddate=post.published_at,
        author_name=xml_safe(post.authors or ", ".join(sources)) or "ASR Hub",
        categories=[xml_safe(name) for name in categories],
    )


def atom_response(
    request: HttpRequest,
    feed: Atom1Feed,
    *,
    last_modified: dt.datetime | None,
    headers: dict[str, str],
    etag: str | None = None,
) -> HttpResponse:
    """The feed, with its validators; 304 to a matching conditional GET. Without an
    ``etag`` the body itself is the validator."""
    response = HttpResponse(content_type="application/atom+xml; charset=utf-8")
    feed.write(response, "utf-8")
    if etag is None:
        etag = '"' + hashlib.sha256(response.content).hexdigest()[:32] + '"'
    response["ETag"] = etag
    if last_modified:
        response["Last-Modified"] = http_date(last_modified.timestamp())
    for name, value in headers.items():
        response[name] = value
    return get_conditional_response(
        request,
        etag=etag,
        last_modified=last_modified and int(last_modified.timestamp()),
        response=response,
    )
