"""Run fetches with bounded concurrency: ``workers`` at once, ``per_host`` per host."""

from __future__ import annotations

import threading
from collections import defaultdict
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import urlsplit

from django.db import close_old_connections

WORKERS = 8
PER_HOST = 2


def run_all(
    items: Iterable,
    work: Callable,
    url_of: Callable[[object], str],
    *,
    workers: int = WORKERS,
    per_host: int = PER_HOST,
) -> list:
    """Apply ``work`` to every item; returns the results in the order given."""
    items = list(items)
    locks: dict[str, threading.Semaphore] = defaultdict(lambda: threading.Semaphore(per_host))
    guard = threading.Lock()

    def host_lock(item) -> threading.Semaphore:
        host = (urlsplit(url_of(item)).hostname or "").lower()
        with guard:
            return locks[host]

    def task(item):
        lock = host_lock(item)
        with lock:
            try:
                return work(item)
            finally:
                close_old_connections()

    if workers <= 1:
        return [work(item) for item in items]  # inline: no threads, same connection
    order = interleaved(items, url_of)
    results: list = [None] * len(items)
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index, result in zip(order, pool.map(task, [items[i] for i in order]), strict=True):
            results[index] = result
    return results


def interleaved(items: list, url_of: Callable[[object], str]) -> list[int]:
    """Indexes of ``items`` taking hosts in turn, so threads rarely queue on one host."""
    by_host: dict[str, list[int]] = defaultdict(list)
    for index, item in enumerate(items):
        by_host[(urlsplit(url_of(item)).hostname or "").lower()].append(index)
    queues = list(by_host.values())
    order: list[int] = []
    for turn in range(max((len(q) for q in queues), default=0)):
        order.extend(q[turn] for q in queues if turn < len(q))
    return order
