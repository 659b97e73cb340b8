"""The rendered results of a catalogue search, cached for visitors until the catalogue changes.

A visitor's ``/resources/?…`` or ``/categories/<slug>/?…`` results (facets, cards,
pagination) depend only on the request's path and query string, on whether htmx asked
for them, and on the catalogue. They are rendered once per catalogue version (see
:mod:`catalogue.versioning`: every change to resources, categories, topics, people or
events starts a new one) and kept for ``RESULTS_TTL`` seconds. Members are never served
from this cache: their cards show their own bookmarks and packs. The cache backend
compresses entries (django-redis's zlib compressor, see settings); give the cache server
a memory limit with LRU eviction (docs/deploy.md).

The only per-visitor part of that HTML is the CSRF token in the bookmark forms (an
anonymous click logs in and comes back with the bookmark made): it is rendered as
:func:`fragments.csrf_placeholder` and replaced on the way out by the visitor's own token.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from contextlib import nullcontext

from django.http import HttpRequest
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from asrhub.caching import made_once
from catalogue.fragments import csrf_placeholder, csrf_token, csrf_token_as
from catalogue.versioning import catalogue_version

RESULTS_TTL = 300
# Longer query strings are rendered but not cached: they are not links people share.
MAX_CACHED_QUERY = 1000
# Many requests for results being rendered (after an edit, a popular URL is asked by every
# worker at once) wait for the one rendering them, up to this long, then render too.
RENDER_WAIT = 2.0
RENDER_POLL = 0.02
RENDER_LOCK_TTL = 10


def results_key(request: HttpRequest, scope: str) -> str | None:
    """The cache key of this request's results, or None when they must not be cached."""
    if request.user.is_authenticated:
        return None
    query = request.META.get("QUERY_STRING", "")
    if len(query) > MAX_CACHED_QUERY:
        return None
    htmx = "hx" if getattr(request, "htmx", False) else "page"
    digest = hashlib.sha256(f"{request.path}\n{query}".encode()).hexdigest()[:40]
    return f"results:{scope}:{catalogue_version()}:{htmx}:{digest}"


def render_results(
    request: HttpRequest, template: str, scope: str, build: Callable[[], dict]
) -> SafeString:
    """The ``#results`` partial of ``template`` for this request, from the cache if it can be.

    ``build()`` computes the search context; it only runs when the HTML is not cached.
    """
    key = results_key(request, scope)
    placeholder = csrf_placeholder()
    html = cached_or_rendered(key, lambda: _render(request, template, build, key, placeholder))
    if placeholder in html:
        html = html.replace(placeholder, csrf_token(request))
    return mark_safe(html)  # noqa: S308 - rendered by the template engine, escaped there


def _render(request, template: str, build: Callable[[], dict], key, placeholder: str) -> str:
    context = build()
    with csrf_token_as(request, placeholder) if key else nullcontext():
        return render_to_string(f"{template}#results", context, request)


def cached_or_rendered(key: str | None, render: Callable[[], str]) -> str:
    """The HTML under ``key``, or ``render()``ed by one request at a time and cached.

    The first request to take the lock (``cache.add``) renders; the others poll the
    cache and take its HTML. A request renders itself when the lock is gone without
    HTML (the renderer failed, or the cache is down) or after ``RENDER_WAIT``.
    """
    if key is None:
        return render()
    return made_once(
        key, render, ttl=RESULTS_TTL, lock_ttl=RENDER_LOCK_TTL, wait=RENDER_WAIT, poll=RENDER_POLL
    )
