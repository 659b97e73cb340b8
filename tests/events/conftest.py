"""Fixtures for the events area: a frozen clock and a small set of events."""

import datetime as dt

import pytest
import time_machine

NOW = dt.datetime(2026, 1, 15, 12, 0, tzinfo=dt.UTC)


@pytest.fixture
def frozen():
    """Freeze the clock at 15 January 2026, 12:00 UTC (no ticking)."""
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller
