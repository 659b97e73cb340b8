"""Hypothesis settings shared by the generated-request tests (marked ``fuzz``)."""

from hypothesis import HealthCheck, settings


def fuzz(examples: int) -> settings:
    """``examples`` runs, no deadline and no example database (each run starts afresh)."""
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
