"""Shared fixtures for the whole suite."""

import pytest

from tests.factories import UserFactory


@pytest.fixture
def member(db):
    return UserFactory(username="alice")


@pytest.fixture
def other_member(db):
    return UserFactory(username="bob")


@pytest.fixture
def curator(db):
    return UserFactory(username="curator", is_staff=True, is_superuser=True)


@pytest.fixture
def member_client(client, member):
    client.force_login(member)
    return client


@pytest.fixture
def other_client(client, other_member):
    client.force_login(other_member)
    return client


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (the taxonomy is cached briefly)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
