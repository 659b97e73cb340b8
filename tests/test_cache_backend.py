"""The Redis cache as production configures it (django-redis, ``settings.redis_cache``).

Run against the machine's Redis (127.0.0.1:6379, database 1). They skip only where no
Redis answers and ``ASRHUB_REQUIRE_REDIS`` is unset; CI sets it, so there they run.
"""

import logging
import os
import socket
import zlib

import pytest
from django.core.cache import cache
from django.test import override_settings
from django_redis import get_redis_connection

from asrhub.settings import redis_cache
from tests.factories import BookmarkFactory, CategoryFactory, ResourceFactory

LIVE = "redis://127.0.0.1:6379/1"
DEAD = "redis://127.0.0.1:1/1"  # nothing listens on port 1


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(
    not redis_up() and not os.environ.get("ASRHUB_REQUIRE_REDIS"),
    reason="needs Redis on 127.0.0.1:6379 (CI sets ASRHUB_REQUIRE_REDIS and runs these)",
)


@pytest.fixture
def live_redis():
    with override_settings(CACHES={"default": redis_cache(LIVE)}):
        cache.clear()
        yield cache
        cache.clear()


@pytest.fixture
def dead_redis():
    with override_settings(CACHES={"default": redis_cache(DEAD)}):
        yield cache


@needs_redis
def test_it_round_trips_values_through_redis_compressed(live_redis):
    live_redis.set("answer", {"value": 42}, 30)
    assert live_redis.get("answer") == {"value": 42}
    assert live_redis.add("answer", 1) is False
    live_redis.set("n", 1)
    assert live_redis.incr("n") == 2
    assert live_redis.get_many(["answer", "n", "missing"]) == {"answer": {"value": 42}, "n": 2}
    live_redis.set("page", "<li>card</li>" * 200)
    stored = get_redis_connection("default").get(live_redis.make_key("page"))
    assert len(stored) < 200  # 2,600 characters of HTML, stored compressed
    assert b"<li>card</li>" * 200 in zlib.decompress(stored)  # pickled, then zlib
    live_redis.delete("answer")
    assert live_redis.get("answer") is None


@needs_redis
@pytest.mark.django_db
def test_it_reports_a_working_cache_as_ok(client, live_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "cache": "ok"}


@pytest.mark.django_db
def test_pages_come_from_the_database_when_redis_is_down(client, member, dead_redis, caplog):
    category = CategoryFactory(slug="reading", name="Reading")
    resource = ResourceFactory(slug="whisper", title="Whisper", categories=[category])
    BookmarkFactory(user=member, resource=resource)
    with caplog.at_level(logging.ERROR, logger="asrhub.cache"):
        for path in ["/", "/resources/", "/resources/?q=whisper", "/categories/reading/"]:
            response = client.get(path)
            assert response.status_code == 200, path
            assert b"Whisper" in response.content, path
        assert client.get("/resources/whisper/").status_code == 200
        client.force_login(member)
        response = client.get("/me/bookmarks/")
        assert response.status_code == 200
        assert b"Whisper" in response.content
    assert any(record.message == "Exception ignored" for record in caplog.records)


@pytest.mark.django_db
def test_it_reports_the_cache_as_degraded_but_answers_200_when_redis_is_down(client, dead_redis):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "cache": "down"}
