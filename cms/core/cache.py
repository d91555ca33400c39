"""Django's Redis cache, bounded in time and skipped while Redis cannot answer.

Three things on top of Django's ``RedisCache``:

- One client per connection pool: Django's ``RedisCacheClient.get_client`` builds a
  ``redis.Redis`` (and its table of response callbacks) on each call, which costs more
  than the round trips of an API request. redis-py clients are thread-safe and their pools
  reset after a fork.
- A circuit breaker per process: the pool's socket timeouts (tens of milliseconds, from
  settings) bound one call; after ``BREAKER_FAILURES`` calls in a row fail or time out,
  Redis is not asked at all for ``BREAKER_SECONDS``, then one call probes it. A hung Redis
  thus costs a few timeouts per process and cool-down, not one per cache call.
- Two ways to fail. Django's API (``get``, ``set``, ``get_many`` ...), as every cache
  user calls it, Wagtail's site roots and renditions included, degrades: a read misses, a
  write is dropped. ``cache.strict`` raises ``CacheUnavailable`` instead, for the
  protections that must know (the login lockout fails closed, rate limits count).

The breaker logs once when it opens and once when Redis answers again, not per request.
When Redis answers again after failed calls, the hooks registered with ``on_recovery`` run
(an increment of the content generation dropped during the outage is redone: answers kept
before it must not stay in use; a blip that dropped none changes nothing).
"""

from __future__ import annotations

import hashlib
import logging
import os
import threading
import time
from collections.abc import Callable

import redis
from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

logger = logging.getLogger("cms.core.cache")

# What a Redis that is down, refusing or hung raises (a full socket timeout is a TimeoutError).
_DOWN = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)

# ``count_in_window`` in one command: the server runs it whole, the client packs one command
# and parses one reply (a pipeline of SET, INCR and MGET costs three of each in redis-py).
# KEYS: the counter, the keys to read, then (ARGV[2] given) a sorted set in which the last
# key read, when it exists, scores one more under the name ARGV[2]; the set lives ARGV[3] s
# and, past ARGV[4] names, keeps its best half (many distinct answers hit, on a site that
# rarely changes, must not grow it without end between two warmings).
_COUNT_AND_FETCH = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
local count = redis.call('INCR', KEYS[1])
local last = #KEYS
if ARGV[2] then last = last - 1 end
local values = {}
if last > 1 then values = redis.call('MGET', unpack(KEYS, 2, last)) end
if ARGV[2] and values[last - 1] then
  redis.call('ZINCRBY', KEYS[#KEYS], 1, ARGV[2])
  redis.call('EXPIRE', KEYS[#KEYS], ARGV[3])
  if redis.call('ZCARD', KEYS[#KEYS]) > tonumber(ARGV[4]) then
    redis.call('ZREMRANGEBYRANK', KEYS[#KEYS], 0, -math.floor(tonumber(ARGV[4]) / 2) - 1)
  end
end
return {count, values}
"""
TALLY_MAX = 1000
_COUNT_AND_FETCH_SHA = hashlib.sha1(_COUNT_AND_FETCH.encode()).hexdigest()


class CacheUnavailable(redis.exceptions.ConnectionError):
    """Redis did not answer, or the breaker is open: it was not asked."""


class CircuitBreaker:
    """Closed: every call goes to Redis. Open: none does until the cool-down ends. Then one
    call at a time probes; its success closes the breaker, its failure opens it again."""

    def __init__(self, failures: int, seconds: float, name: str = "redis"):
        self.threshold = max(1, failures)
        self.seconds = seconds
        self.name = name
        self._lock = threading.Lock()
        self._failures = 0
        self._open_until: float | None = None
        self._probing = False

    @property
    def is_open(self) -> bool:
        return self._open_until is not None

    def allow(self) -> bool:
        if self._open_until is None:
            return True
        with self._lock:
            if self._open_until is None:
                return True
            if self._probing or time.monotonic() < self._open_until:
                return False
            self._probing = True
            return True

    def succeeded(self) -> bool:
        """Record a call that Redis answered; True when calls had failed before it."""
        if self._failures == 0 and self._open_until is None:
            return False  # the hot path: no lock
        with self._lock:
            if self._failures == 0 and self._open_until is None:
                return False  # another thread recorded the recovery
            reopened = self._open_until is not None
            self._failures, self._open_until, self._probing = 0, None, False
        if reopened:
            logger.warning("Cache %s answers again; back in use", self.name)
        return True

    def failed(self) -> None:
        with self._lock:
            self._failures += 1
            if not self._probing and self._failures < self.threshold:
                return
            tripped = self._open_until is None
            self._open_until = time.monotonic() + self.seconds
            self._probing = False
        if tripped:
            logger.warning(
                "Cache %s unreachable (%d failures in a row); not asked for %.0f s, "
                "protections fall back as documented (README: when Redis fails)",
                self.name,
                self._failures,
                self.seconds,
            )


_recovery_hooks: list[Callable[[], None]] = []


def on_recovery(hook: Callable[[], None]) -> Callable[[], None]:
    """Run ``hook`` when Redis answers a process again after calls failed: writes made
    meanwhile were dropped (a content generation's increment, say) and may need redoing."""
    _recovery_hooks.append(hook)
    return hook


def _recovered() -> None:
    for hook in _recovery_hooks:
        try:
            hook()
        except Exception:
            logger.warning("Cache recovery hook %r failed", hook, exc_info=True)


_breakers: dict[tuple, CircuitBreaker] = {}
_breakers_lock = threading.Lock()


def _breaker_for(server, failures: int, seconds: float) -> CircuitBreaker:
    """One breaker per process and Redis: Django makes a cache object per thread (a threaded
    server, gunicorn's gthread), and each must not pay the timeouts of a trip again."""
    key = (str(server), failures, seconds)
    with _breakers_lock:
        breaker = _breakers.get(key)
        if breaker is None:
            breaker = _breakers[key] = CircuitBreaker(failures, seconds)
        return breaker


class _ReusedClients(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._client(connection_pool=self._get_connection_pool(write))
            self._clients[index] = client
        return client


class _Strict:
    """The cache's methods, raising CacheUnavailable when Redis cannot answer."""

    def __init__(self, cache: RedisCache):
        self._cache = cache

    def __getattr__(self, name):
        if name == "count_in_window":  # raises already
            return self._cache.count_in_window
        method = getattr(DjangoRedisCache, name).__get__(self._cache)

        def guarded(*args, **kwargs):
            return self._cache._guarded(method, *args, **kwargs)

        return guarded


class _HeldConnection(threading.local):
    pool = connection = pid = None


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        failures = options.pop("BREAKER_FAILURES", 3)
        seconds = options.pop("BREAKER_SECONDS", 10)
        super().__init__(server, {**params, "OPTIONS": options})
        self._class = _ReusedClients
        self.breaker = _breaker_for(server, failures, seconds)
        self.strict = _Strict(self)
        self._held = _HeldConnection()

    def _guarded(self, call, *args, **kwargs):
        if not self.breaker.allow():
            raise CacheUnavailable("cache not asked: circuit breaker open")
        try:
            result = call(*args, **kwargs)
        except _DOWN as error:
            self.breaker.failed()
            raise CacheUnavailable(str(error)) from error
        if self.breaker.succeeded():
            _recovered()
        return result

    def _degraded(self, fallback, call, *args, **kwargs):
        try:
            return self._guarded(call, *args, **kwargs)
        except CacheUnavailable:
            return fallback

    # Django's API: while Redis cannot answer, reads miss and writes are dropped.

    def get(self, key, default=None, version=None):
        return self._degraded(default, super().get, key, default, version)

    def get_many(self, keys, version=None):
        return self._degraded({}, super().get_many, keys, version)

    def has_key(self, key, version=None):
        return self._degraded(False, super().has_key, key, version)

    def add(self, *args, **kwargs):
        return self._degraded(False, super().add, *args, **kwargs)

    def set(self, *args, **kwargs):
        return self._degraded(None, super().set, *args, **kwargs)

    def set_many(self, data, *args, **kwargs):
        return self._degraded(list(data), super().set_many, data, *args, **kwargs)

    def touch(self, *args, **kwargs):
        return self._degraded(False, super().touch, *args, **kwargs)

    def delete(self, *args, **kwargs):
        return self._degraded(False, super().delete, *args, **kwargs)

    def delete_many(self, *args, **kwargs):
        return self._degraded(None, super().delete_many, *args, **kwargs)

    def clear(self):
        return self._degraded(False, super().clear)

    def incr(self, key, delta=1, version=None):
        # As Django's memcached backends do when the server is gone: "no such key".
        try:
            return self._guarded(super().incr, key, delta, version)
        except CacheUnavailable:
            raise ValueError(f"Key '{key}' not found (cache unavailable)") from None

    def decr(self, key, delta=1, version=None):
        return self.incr(key, -delta, version)

    def count_in_window(self, key: str, timeout: int, fetch=(), tally=None) -> tuple[int, dict]:
        """Add one to a counter that lives ``timeout`` seconds from its first count; the new
        value, and the values of the ``fetch`` keys that exist. With ``tally`` (a sorted
        set's name and its lifetime in seconds), the last ``fetch`` key, when it exists,
        scores one more there (``most_tallied``). One round trip (Django's add then incr
        take three, and get_many one more). Raises CacheUnavailable: a caller counting
        must know it did not count."""
        return self._guarded(self._count_in_window, key, timeout, fetch, tally)

    def _count_in_window(self, key: str, timeout: int, fetch, tally) -> tuple[int, dict]:
        counter = self.make_and_validate_key(key)
        keys = {self.make_and_validate_key(name): name for name in fetch}
        names, args = [counter, *keys], [timeout]
        if tally is not None and fetch:
            names.append(self.make_and_validate_key(tally[0]))
            args += [fetch[-1], tally[1], TALLY_MAX]
        try:
            reply = self._held_call("EVALSHA", _COUNT_AND_FETCH_SHA, len(names), *names, *args)
        except redis.exceptions.NoScriptError:  # a restarted or flushed Redis: load it again
            reply = self._held_call("EVAL", _COUNT_AND_FETCH, len(names), *names, *args)
        count, values = reply
        loads = self._cache._serializer.loads
        found = {
            keys[raw]: loads(value)
            for raw, value in zip(keys, values, strict=True)
            if value is not None
        }
        return int(count), found

    def most_tallied(self, name: str, count: int, keep: int) -> list[str]:
        """The ``count`` names scoring most in the sorted set ``name`` (``count_in_window``'s
        tally), most first; all but the ``keep`` best are dropped, so the set stays small."""

        def read():
            client = self._cache.get_client(write=True)
            key = self.make_and_validate_key(name)
            pipe = client.pipeline(transaction=False)
            pipe.zrevrange(key, 0, count - 1)
            pipe.zremrangebyrank(key, 0, -keep - 1)
            return [member.decode() for member in pipe.execute()[0]]

        return self._degraded([], read)

    def _held_call(self, *command):
        """One command on this thread's own connection, held between requests.

        ``count_in_window`` runs on every API request: checking a connection out of
        redis-py's pool and back in, with its retry and event machinery around it, cost
        more than the round trip. The connection comes from the cache's pool (its
        address, database, password and timeouts); a forked worker takes a new one, and
        one that failed is closed and given back. A held connection Redis closed since its
        last use (a restart, its idle timeout) is replaced and the command sent once more,
        so no request meets the restart; a timeout is not retried (a hung Redis would cost
        each request twice). Should Redis have run the command and closed the connection
        before its reply, the event is counted twice: a limit reached one event early, once
        per restart at most."""
        held = self._held
        pid = os.getpid()
        fresh = held.connection is None or held.pid != pid
        if fresh:
            pool = self._cache.get_client(write=True).connection_pool
            held.pool, held.connection, held.pid = pool, pool.get_connection(), pid
        connection = held.connection
        try:
            connection.send_command(*command)
            return connection.read_response()
        except redis.exceptions.ResponseError:
            raise  # the command's own error; the connection is fine
        except BaseException as error:
            held.connection = None
            connection.disconnect()
            held.pool.release(connection)
            if fresh or not isinstance(error, redis.exceptions.ConnectionError):
                raise
        return self._held_call(*command)  # on a fresh connection: at most once more


def count(cache, key: str, timeout: int) -> None:
    """One more event under ``key``, the counter living ``timeout`` seconds from its first
    event; one round trip on Redis. Raises when the cache cannot count (CacheUnavailable)."""
    counter = getattr(cache, "count_in_window", None)
    if counter is not None:
        counter(key, timeout)
    elif not cache.add(key, 1, timeout=timeout):
        try:
            cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.add(key, 1, timeout=timeout)


def strict(cache):
    """``cache.strict`` when the cache has one (Redis); else the cache itself (memory)."""
    return getattr(cache, "strict", cache)
