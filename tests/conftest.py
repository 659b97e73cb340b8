"""Shared fixtures for the whole suite."""

import pytest

from tests.factories import UserFactory
from tests.support.feed_server import Server


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


@pytest.fixture
def server(settings):
    """A local feed server the fetchers may reach (nothing leaves the machine)."""
    server = Server()
    settings.ASRHUB_FETCH_ALLOWLIST = [f"127.0.0.1:{server.port}"]
    yield server
    server.close()


@pytest.fixture(autouse=True)
def empty_cache():
    """Every test starts with an empty cache (the taxonomy is cached briefly)."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()
