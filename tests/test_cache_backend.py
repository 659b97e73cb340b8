"""The Redis cache backend: the stock behaviour, with one client per connection pool."""

import socket

import pytest

from asrhub.cache import RedisCache


def redis_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=1).close()
    except OSError:
        return False
    return True


pytestmark = pytest.mark.skipif(not redis_up(), reason="needs Redis on 127.0.0.1:6379")


def test_round_trip_and_one_client_per_pool():
    cache = RedisCache("redis://127.0.0.1:6379/13", {"KEY_PREFIX": "asrhub-test"})
    cache.clear()
    cache.set("answer", {"value": 42}, 30)
    assert cache.get("answer") == {"value": 42}
    assert cache.add("answer", 1) is False
    cache.set("n", 1)
    assert cache.incr("n") == 2
    assert cache.get_many(["answer", "n", "missing"]) == {"answer": {"value": 42}, "n": 2}
    cache.delete("answer")
    assert cache.get("answer") is None
    client = cache._cache
    assert client.get_client("a") is client.get_client("b")
    assert client.get_client(write=True) is client.get_client(write=True)
    cache.clear()
