"""Running test code in several threads at once (races, locks)."""

from __future__ import annotations

import threading
from collections.abc import Callable

from django.db import connection


def in_threads(target: Callable[[int], None], count: int) -> None:
    """Call ``target(0)`` … ``target(count - 1)`` at once, one thread each, and wait for
    them all. Each thread closes the database connection Django opened for it."""

    def run(n: int) -> None:
        try:
            target(n)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
