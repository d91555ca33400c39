"""Django's Redis cache, without a new client object for every cache call.

Django's ``RedisCacheClient.get_client`` builds a ``redis.Redis`` (and its table of
response callbacks) on each call; an API request makes several cache calls (rate limit,
answer cache, site roots), which cost more than the round trips themselves. One client
per connection pool is enough: redis-py clients are thread-safe and their pools reset
after a fork.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


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


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = _ReusedClients

    def count_in_window(self, key: str, timeout: int, fetch=()) -> tuple[int, dict]:
        """Add one to a counter that lives ``timeout`` seconds from its first count; the new
        value, and the values of the ``fetch`` keys that exist. One round trip (Django's add
        then incr take three, and get_many one more)."""
        counter = self.make_and_validate_key(key)
        keys = {self.make_and_validate_key(name): name for name in fetch}
        pipe = self._cache.get_client(counter, write=True).pipeline(transaction=False)
        pipe.set(counter, 0, ex=timeout, nx=True)
        pipe.incr(counter)
        if keys:
            pipe.mget(list(keys))
        results = pipe.execute()
        found = {}
        if keys:
            loads = self._cache._serializer.loads
            found = {
                keys[raw]: loads(value)
                for raw, value in zip(keys, results[2], strict=True)
                if value is not None
            }
        return int(results[1]), found
