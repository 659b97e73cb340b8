"""The daily limit holds when one member submits twice at the same moment (PostgreSQL)."""

from __future__ import annotations

import contextlib
import threading

import pytest
from django.db import connection

from suggestions import services
from suggestions.models import DAILY_LIMIT, Suggestion
from tests.factories import SuggestionFactory, UserFactory
from tests.support.threads import in_threads


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
def test_two_concurrent_submissions_cannot_both_pass_the_limit(monkeypatch):
    member = UserFactory()
    SuggestionFactory.create_batch(DAILY_LIMIT - 1, member=member)
    barrier = threading.Barrier(2)
    count = services.remaining_today

    def remaining_then_wait(who) -> int:
        left = count(who)
        # Without the row lock both requests would count 9 here, meet, and both save.
        # With it the second waits for the lock, so the first waits here in vain.
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait(timeout=2)
        return left

    monkeypatch.setattr(services, "remaining_today", remaining_then_wait)
    outcomes: list[str] = []

    def submit(n: int) -> None:
        try:
            services.file_suggestion(
                Suggestion(member=member, kind="new", url=f"https://x{n}.example/", message="m")
            )
            outcomes.append("saved")
        except services.DailyLimitReached:
            outcomes.append("refused")

    in_threads(submit, 2)
    assert sorted(outcomes) == ["refused", "saved"]
    assert Suggestion.objects.filter(member=member).count() == DAILY_LIMIT
