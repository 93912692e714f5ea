"""Django's Redis cache backend, degrading instead of failing while Redis cannot be reached.

Contract, for every caller of the cache (Wagtail's site lookup, sessions, fragment caches,
allauth's sign-in limits, the API's throttles):

- Redis answers: this is Django's `RedisCache`, unchanged.
- Redis refuses the connection or times out: no error reaches the caller, and
  - rate-limit keys (names starting with one of COUNTER_PREFIXES: allauth's `allauth:rl:` and
    DRF's `throttle_`) are counted in this process's memory, so sign-in guessing and runaway
    scripts are still slowed (each process counts on its own: a limit of N becomes at most N per
    app server process while the outage lasts);
  - every other key is a miss (Django's `DummyCache`): callers fall back to the database, and
    nothing is kept in one process that another would have to invalidate.
- After a failure the backend does not try Redis again for RETRY_SECONDS (default 5), so a
  request does not wait for a connect timeout on every cache call; it logs one warning when
  Redis becomes unreachable and one when it is reachable again.

Not django-redis with IGNORE_EXCEPTIONS: it answers a failed `add()` with None, so allauth's
rate-limit lock (an `add()`) is never taken and every sign-in is refused while Redis is down;
and it cannot tell a miss from an outage, which counting rate limits in the process needs.

Django's `django.core.cache.backends.redis.RedisCache` with its public methods overridden;
OPTIONS other than RETRY_SECONDS go to redis-py's connection pool as
Django documents (set `socket_connect_timeout` and `socket_timeout` there).
"""

import logging
import time

from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.dummy import DummyCache
from django.core.cache.backends.locmem import LocMemCache
from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

logger = logging.getLogger(__name__)

UNREACHABLE = (RedisConnectionError, RedisTimeoutError)
COUNTER_PREFIXES = ("allauth:rl:", "throttle_")


class DegradingRedisCache(RedisCache):
    def __init__(self, server, params):
        options = dict(params.get("OPTIONS", {}))
        self.retry_seconds = float(options.pop("RETRY_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        self.server = server
        # One store per process and server (LocMemCache shares its store by name), large
        # enough that a spray of keys cannot push a guesser's count out.
        self.counters = LocMemCache(f"{__name__}:{server}", {"OPTIONS": {"MAX_ENTRIES": 100_000}})
        self.bypass = DummyCache("bypass", {})
        self.retry_at = 0.0
        self.unreachable = False

    def _fallback(self, key):
        return self.counters if str(key).startswith(COUNTER_PREFIXES) else self.bypass

    def _run(self, name, fallback, *args, **kwargs):
        """Django's `name` on Redis, or on `fallback` while Redis cannot be reached."""
        if time.monotonic() >= self.retry_at:
            try:
                result = getattr(super(), name)(*args, **kwargs)
            except UNREACHABLE as error:
                self.retry_at = time.monotonic() + self.retry_seconds
                if not self.unreachable:
                    self.unreachable = True
                    logger.warning(
                        "Cache at %s unreachable (%s): rate limits are counted per process "
                        "and other caching is bypassed until it answers again",
                        self.server,
                        error,
                    )
            else:
                if self.unreachable:
                    self.unreachable = False
                    logger.warning("Cache at %s reachable again", self.server)
                return result
        return getattr(fallback, name)(*args, **kwargs)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("add", self._fallback(key), key, value, timeout, version)

    def get(self, key, default=None, version=None):
        return self._run("get", self._fallback(key), key, default, version)

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set", self._fallback(key), key, value, timeout, version)

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("touch", self._fallback(key), key, timeout, version)

    def delete(self, key, version=None):
        return self._run("delete", self._fallback(key), key, version)

    def has_key(self, key, version=None):
        return self._run("has_key", self._fallback(key), key, version)

    def incr(self, key, delta=1, version=None):
        return self._run("incr", self._fallback(key), key, delta, version)

    def get_many(self, keys, version=None):
        return self._run("get_many", self.bypass, keys, version)

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        return self._run("set_many", self.bypass, data, timeout, version)

    def delete_many(self, keys, version=None):
        return self._run("delete_many", self.bypass, keys, version)

    def clear(self):
        return self._run("clear", self.bypass)
