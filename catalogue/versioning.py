"""The catalogue version and everything cached by it.

Every change to resources, categories, topics, people or events starts a new catalogue
version (:func:`catalogue_changed`, called from ``signals``, the admin's bulk actions and
``generate_catalogue``). Whatever is derived from the catalogue (facet counts, the facet
index, related resources, visitors' rendered results) is cached under a key that holds
the version, so a change makes all of it stale at once, with nothing to delete.
The category tree (:func:`taxonomy`) is cached briefly under a key of its own.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction

T = TypeVar("T")

VERSION_KEY = "catalogue:version"
FACETS_TTL = 300
TAXONOMY_KEY = "catalogue:taxonomy"
TAXONOMY_TTL = 60
# What each version changed: the resources whose facet values may differ from the
# version before (see :func:`changes_between`; the facet index patches itself from them).
CHANGE_KEY = "catalogue:change"
CHANGE_TTL = 3600
# Further apart than this, two versions are treated as unrelated (the index is rebuilt).
MAX_PATCHED_VERSIONS = 50


# Inside a request (:func:`one_version`), the version read first: one cache round trip
# per request instead of one per use (results key, facet index, facet counts, vocabulary…).
_request_version: ContextVar[int | None] = ContextVar("catalogue_version", default=None)
_in_request: ContextVar[bool] = ContextVar("catalogue_version_in_request", default=False)


def catalogue_version() -> int:
    """A number that changes whenever the catalogue changes.

    It starts at random (the cache may be emptied at any time): a process that kept
    something for an older version can never mistake a new version for it. Within a
    request it is read once (a request sees one version, as if it ran at that instant);
    a change made by the request itself is seen at once (:func:`_bump_version`).
    """
    version = _request_version.get()
    if version is not None:
        return version
    version = cache.get(VERSION_KEY)
    if version is None:
        version = secrets.randbits(48)
        cache.add(VERSION_KEY, version, None)
        version = cache.get(VERSION_KEY, version)
    if _in_request.get():
        _request_version.set(version)
    return version


@contextmanager
def one_version() -> Iterator[None]:
    """Read the catalogue version at most once inside this block (one request)."""
    entered = _in_request.set(True)
    remembered = _request_version.set(None)
    try:
        yield
    finally:
        _request_version.reset(remembered)
        _in_request.reset(entered)


def versioned(name: str, compute: Callable[[], T], ttl: int = FACETS_TTL) -> T:
    """``compute()``, cached until the catalogue changes (or ``ttl`` seconds pass)."""
    key = f"catalogue:{name}:{catalogue_version()}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, ttl)
    return value


def catalogue_changed(resources: Iterable[int] | None = None) -> None:
    """Start a new catalogue version, now and again when the transaction commits.

    The second bump matters: a request that read the catalogue between the first bump
    and the commit may have cached what it saw under the new version.

    ``resources`` says what changed, for the facet index: the primary keys of the
    resources whose facet values (published, kind…, categories, topics) may have
    changed; ``()`` when none did (a person, an event); ``None`` (the default) when
    anything may have (bulk updates, categories, topics): the index is then rebuilt.
    """
    change = None if resources is None else sorted(set(resources))
    _bump_version(change)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_version(change))


def _bump_version(change: list[int] | None = None) -> None:
    _request_version.set(None)  # this request reads the new version
    try:
        bumped = cache.incr(VERSION_KEY)
    except ValueError:  # not set yet
        bumped = None
    if bumped is None:  # not set yet, or the cache is down (then nothing is cached)
        cache.set(VERSION_KEY, secrets.randbits(48), None)
    elif change is not None:
        # Written after the bump: a reader that sees the new version before this record
        # finds no record and rebuilds, which is always right.
        cache.set(f"{CHANGE_KEY}:{bumped}", change, CHANGE_TTL)


def changes_between(old: int, new: int) -> set[int] | None:
    """The resources whose facet values changed from version ``old`` to ``new``, or None
    when that is not known (a bulk change, a category or topic, records expired, the
    cache emptied, versions too far apart): then anything may have changed."""
    if not 0 < new - old <= MAX_PATCHED_VERSIONS:
        return None
    keys = [f"{CHANGE_KEY}:{version}" for version in range(old + 1, new + 1)]
    found = cache.get_many(keys)
    if len(found) != len(keys):
        return None
    changed: set[int] = set()
    for resources in found.values():
        changed.update(resources)
    return changed


def taxonomy_changed() -> None:
    """A category was saved or deleted: forget the tree and start a new version."""
    cache.delete(TAXONOMY_KEY)
    catalogue_changed()
