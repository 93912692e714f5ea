"""Django's Redis cache backend, reusing one client per connection pool, with a counter.

Django's RedisCacheClient makes a new `redis.Redis` for every command, and redis-py fills a
table of about 170 response callbacks for each: once per Redis command of every request, about
4% of a progress event. A client is safe to share (the pool hands out connections), and Django
keeps one cache object per thread anyway.

`count()` is what the API's rate limits need (courses.api.throttling): one round trip and one
command (a Lua script), where Django's `add()` and `incr()` take three round trips on Redis.

Keys are not checked for memcached's limits (`validate_key`), which Redis does not have: Django
walks every character of every key to warn about them, on every cache call, the session's
included.
"""

from django.core.cache.backends.redis import RedisCache as DjangoRedisCache
from django.core.cache.backends.redis import RedisCacheClient

# SET NX with the expiry, INCR and TTL, as one command: each command redis-py sends costs the
# app 55-75 us of CPU on the benchmark machine, far more than Redis takes to run all three.
COUNT_SCRIPT = """
redis.call('SET', KEYS[1], 0, 'EX', ARGV[1], 'NX')
return {redis.call('INCR', KEYS[1]), redis.call('TTL', KEYS[1])}
"""


class ReusingRedisCacheClient(RedisCacheClient):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}  # id(pool) -> client; pools live as long as this object
        self._count_scripts = {}  # id(client) -> the counter's script, registered with it

    def get_client(self, key=None, *, write=False):
        pool = self._get_connection_pool(write)
        client = self._clients.get(id(pool))
        if client is None:
            client = self._clients[id(pool)] = self._client(connection_pool=pool)
        return client

    def count(self, key, timeout: int) -> tuple[int, int]:
        """Add one to the counter at `key` (a key the cache has made), creating it with this
        expiry; returns the count and Redis's TTL for it. One EVALSHA; redis-py loads the
        script whenever the server does not know it."""
        client = self.get_client(key, write=True)
        script = self._count_scripts.get(id(client))
        if script is None:
            script = self._count_scripts[id(client)] = client.register_script(COUNT_SCRIPT)
        used, seconds_left = script(keys=[key], args=[int(timeout)])
        return used, seconds_left


class RedisCache(DjangoRedisCache):
    def __init__(self, server, params):
        super().__init__(server, params)
        self._class = ReusingRedisCacheClient

    def validate_key(self, key):
        """Redis takes any key: no memcached warnings (see the module's docstring)."""

    def count(self, key, timeout, version=None) -> tuple[int, int | None]:
        """Add one to a counter that expires `timeout` seconds after its first count. Returns
        the new count and the seconds the counter has left, in one round trip."""
        key = self.make_and_validate_key(key, version=version)
        used, seconds_left = self._cache.count(key, timeout)
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
