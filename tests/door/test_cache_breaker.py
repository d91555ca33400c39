"""The Redis cache's circuit breaker (cms/core/cache.py), against real sockets: a listener that
accepts and never answers, a closed port, and a relay to the real Redis that can be cut."""

import logging
import threading
import time
import uuid

import pytest
import redis
from django.core.cache import cache

from cms.api import cache_invalidation
from cms.core import cache as cms_cache
from cms.core.cache import CacheUnavailable, CircuitBreaker, RedisCache
from tests.support.fakes import Relay, Silent, free_port


def backend(url, failures=3, seconds=0.3, prefix=None, timeout=0.05):
    return RedisCache(
        url,
        {
            "KEY_PREFIX": prefix or f"test-{uuid.uuid4().hex}",
            "OPTIONS": {
                "socket_connect_timeout": timeout,
                "socket_timeout": timeout,
                "BREAKER_FAILURES": failures,
                "BREAKER_SECONDS": seconds,
            },
        },
    )


@pytest.fixture(autouse=True)
def _fresh_breakers():
    """Breakers are per process and Redis address; a port used by an earlier test may come
    back, with that test's breaker."""
    cms_cache._breakers.clear()


@pytest.fixture
def hung():
    server = Silent()
    yield server
    server.close()


def test_after_the_failures_a_hung_redis_is_not_asked_until_the_cool_down_ends(hung):
    cache = backend(f"redis://127.0.0.1:{hung.port}/0", failures=3, seconds=0.3)
    for _ in range(3):
        assert cache.get("k", "default") == "default"
    assert cache.breaker.is_open
    asked = len(hung.held)
    for _ in range(50):
        assert cache.get("k") is None
        assert cache.set("k", 1) is None
        assert cache.get_many(["k"]) == {}
        assert cache.add("k", 1) is False
    assert len(hung.held) == asked  # not one connection more while open
    with pytest.raises(CacheUnavailable):
        cache.strict.get("k")
    time.sleep(0.35)
    cache.get("k")  # the probe: asked again, fails, open again
    assert len(hung.held) == asked + 1
    assert cache.breaker.is_open


def test_incr_on_an_unreachable_redis_says_no_such_key():
    cache = backend(f"redis://127.0.0.1:{free_port()}/0")
    with pytest.raises(ValueError):
        cache.incr("counter")
    with pytest.raises(CacheUnavailable):
        cache.count_in_window("counter", 60)


def test_one_probe_at_a_time_after_the_cool_down():
    breaker = CircuitBreaker(failures=1, seconds=0.05)
    breaker.failed()
    assert breaker.allow() is False
    time.sleep(0.06)
    allowed = []
    barrier = threading.Barrier(16)

    def ask():
        barrier.wait()
        allowed.append(breaker.allow())

    threads = [threading.Thread(target=ask) for _ in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 1
    breaker.succeeded()
    assert breaker.allow() is True and not breaker.is_open


def test_an_outage_is_logged_once_per_trip(caplog):
    cache = backend(f"redis://127.0.0.1:{free_port()}/0", failures=3, seconds=60)
    with caplog.at_level(logging.WARNING, logger="cms.core.cache"):
        for _ in range(100):
            cache.get("k")
    assert [r.getMessage() for r in caplog.records if "unreachable" in r.getMessage()] == [
        "Cache redis unreachable (3 failures in a row); not asked for 60 s, protections "
        "fall back as documented (README: when Redis fails)"
    ]


@pytest.fixture
def relay():
    server = Relay()
    yield server
    server.close()


@pytest.fixture
def relayed_cache(relay, settings, db):
    """The default cache on the real Redis through ``relay``; its keys removed after."""
    prefix = f"test-{uuid.uuid4().hex}"
    settings.CACHES = {
        "default": {
            "BACKEND": "cms.core.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{relay.port}/0",
            "KEY_PREFIX": prefix,
            "OPTIONS": {
                "socket_connect_timeout": 0.05,
                "socket_timeout": 0.05,
                "BREAKER_FAILURES": 2,
                "BREAKER_SECONDS": 0.2,
            },
        }
    }
    cache_invalidation._bump_dropped.clear()
    yield cache
    relay.up = True
    cache_invalidation._bump_dropped.clear()
    for key in cache._cache.get_client().scan_iter(match=f"{prefix}:*"):
        cache._cache.get_client().delete(key)


def test_redis_back_is_used_again_and_drops_answers_kept_before(
    relay, relayed_cache, django_capture_on_commit_callbacks
):
    before = cache_invalidation.generation()
    relay.cut()
    with django_capture_on_commit_callbacks(execute=True):
        cache_invalidation.content_changed()  # a publish meanwhile: its increment is dropped
    for _ in range(3):
        cache.get("anything")
    assert cache.breaker.is_open
    relay.up = True
    time.sleep(0.25)
    with django_capture_on_commit_callbacks(execute=True):
        assert cache.get("anything") is None  # the probe: Redis answers
    assert not cache.breaker.is_open
    assert cache_invalidation.generation() == before + 1


def test_a_failed_call_with_no_increment_dropped_keeps_the_answers(
    relay, relayed_cache, django_capture_on_commit_callbacks
):
    before = cache_invalidation.generation()
    relay.cut()
    assert cache.get("anything") is None  # one call times out: a blip
    assert not cache.breaker.is_open
    relay.up = True
    with django_capture_on_commit_callbacks(execute=True):
        assert cache.get("anything") is None  # Redis answers again; nothing was dropped
    assert cache_invalidation.generation() == before


def test_a_dropped_increment_is_redone_when_redis_answers_even_without_a_trip(
    relay, relayed_cache, django_capture_on_commit_callbacks
):
    before = cache_invalidation.generation()
    relay.cut()
    with django_capture_on_commit_callbacks(execute=True):
        cache_invalidation.content_changed()  # a publish in a blip: its increment is dropped
    assert not cache.breaker.is_open
    relay.up = True
    assert cache.get("anything") is None  # Redis answers again: the increment is redone
    assert cache_invalidation.generation() == before + 1


def test_a_held_connection_redis_closed_is_replaced_without_a_failure(settings):
    """Redis restarted, or closed the thread's idle connection: the next count connects
    again and counts, and no failure reaches the breaker or the request."""
    store = backend(settings.TEST_REDIS_URL, timeout=2)  # not about timeouts: a busy CI
    assert store.count_in_window("counter", 60)[0] == 1
    held_id = store._held_call("CLIENT", "ID")
    admin = store._cache.get_client(write=True)
    try:
        killed = admin.client_kill_filter(_id=held_id)
    except redis.exceptions.ResponseError as error:  # a Redis whose ACL forbids it
        pytest.skip(f"CLIENT KILL refused: {error}")
    assert killed == 1  # Redis drops the held connection
    assert store.count_in_window("counter", 60)[0] == 2
    assert store.breaker._failures == 0
    assert store._held_call("CLIENT", "ID") != held_id


def test_a_held_connection_that_hangs_is_not_sent_the_command_again(relay):
    """A timeout is a failure of that call, not a reason to send it again: a hung Redis
    would cost each request two timeouts."""
    store = backend(f"redis://127.0.0.1:{relay.port}/0")
    assert store.count_in_window("counter", 60)[0] == 1
    relay.stalled = True
    with pytest.raises(CacheUnavailable):
        store.count_in_window("counter", 60)
    assert len(relay.pairs) == 1  # no second connection was made for a retry
    assert store.breaker._failures == 1
