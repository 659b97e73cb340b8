"""One value made by one process at a time and shared through the cache.

Used where many workers would otherwise compute the same expensive value at once (the
facet index after an edit, the results of a popular search): the first to take the lock
makes it, the others wait for it in the cache.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache

T = TypeVar("T")


def made_once(
    key: str, make: Callable[[], T], *, ttl: int, lock_ttl: int, wait: float, poll: float
) -> T:
    """The value under ``key``, or ``make()``d by one process at a time and cached.

    The first caller to take the lock (``cache.add`` of ``<key>:lock``) makes and caches
    the value; the others poll the cache every ``poll`` seconds and take it. A caller
    makes it itself when the lock is gone without a value (the maker failed, or the cache
    is down) or after ``wait`` seconds.
    """
    lock = f"{key}:lock"
    deadline = time.monotonic() + wait
    while True:
        value = cache.get(key)
        if value is not None:
            return value
        if cache.add(lock, 1, lock_ttl):
            try:
                value = make()
                cache.set(key, value, ttl)
            finally:
                cache.delete(lock)
            return value
        if cache.get(lock) is None or time.monotonic() > deadline:
            return make()  # no lock to wait on (the cache is down), or waited too long
        time.sleep(poll)
