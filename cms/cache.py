"""Django's Redis cache backend, reusing one client per connection pool, with a counter.

Django's RedisCacheClient makes a new `redis.Redis` for every command, and redis-py fills a
table of about 170 response callbacks for each: once per Redis command of every request, about
4% of a progress event. A client is safe to share (the pool hands out connections), and Django
keeps one cache object per thread anyway.

`count()` is what the API's rate limits need (courses.api.throttling): one round trip, where
Django's `add()` and `incr()` take three on Redis.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id(pool) -> client; pools live as long as this object

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def count(self, key, timeout, version=None) -> tuple[int, int | None]:
        """Add one to a counter that expires `timeout` seconds after its first count. Returns
        the new count and the seconds the counter has left, in one round trip (SET NX with the
        expiry, INCR and TTL, pipelined)."""
        key = self.make_and_validate_key(key, version=version)
        client = self._cache.get_client(key, write=True)
        with client.pipeline(transaction=False) as pipe:
            pipe.set(key, 0, ex=timeout, nx=True)
            pipe.incr(key)
            pipe.ttl(key)
            _, used, seconds_left = pipe.execute()
        return used, seconds_left if seconds_left > 0 else None


def count(cache, key, timeout) -> tuple[int, int | None]:
    """`cache.count()` where the backend has it (RedisCache above), else the same with Django's
    cache API (add, then incr), which cannot tell the seconds left after the first count."""
    counter = getattr(cache, "count", None)
    if counter is not None:
        return counter(key, timeout)
    if cache.add(key, 1, timeout):
        return 1, timeout
    try:
        return cache.incr(key), None
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout)
        return 1, timeout
