"""cms.cache: Django's Redis backend with one client per connection pool, against real Redis."""

import socket
import time
import uuid

import pytest
from django.core.cache.backends.base import CacheKeyWarning
from django.core.cache.backends.locmem import LocMemCache

from cms.cache import RedisCache, count
from tests.cms.test_settings import manage

REDIS = ("127.0.0.1", 6379)


def redis_running() -> bool:
    try:
        socket.create_connection(REDIS, timeout=1).close()
    except OSError:
        return False
    return True


needs_redis = pytest.mark.skipif(not redis_running(), reason="needs Redis on 127.0.0.1:6379")


@needs_redis
def test_the_cache_works_and_keeps_one_client():
    cache = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {})
    key = f"test-{uuid.uuid4()}"
    client = cache._cache.get_client(key)

    cache.set(key, {"events": 1}, timeout=30)
    assert cache.get(key) == {"events": 1}
    assert cache.add(key, "other", timeout=30) is False
    cache.delete(key)
    assert cache.get(key, "gone") == "gone"

    assert cache._cache.get_client(key) is client
    assert cache._cache.get_client(key, write=True) is client  # one server: one pool


def test_a_redis_cache_url_selects_the_reusing_backend():
    done = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.CACHES['default']['BACKEND'])",
        CACHE_URL="redis://127.0.0.1:6379/15",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == "cms.cache.RedisCache"


@needs_redis
def test_the_counter_counts_and_expires_in_one_round_trip():
    cache = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {})
    key = f"test-{uuid.uuid4()}"
    used, seconds_left = cache.count(key, 30)
    assert used == 1 and 29 <= seconds_left <= 30
    assert cache.count(key, 30)[0] == 2
    assert cache.get(key) == 2  # an ordinary cache value too
    assert cache.count(key, 1)[1] <= 30  # the first count set the expiry; later ones keep it
    cache.set(key, 0, timeout=1)
    time.sleep(1.1)
    assert cache.count(key, 30)[0] == 1  # a new window
    cache.delete(key)


@needs_redis
def test_the_counter_loads_its_script_again_after_redis_forgets_it():
    """A restarted or flushed Redis no longer knows the script: the next count loads it."""
    cache = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {})
    key = f"test-{uuid.uuid4()}"
    assert cache.count(key, 30)[0] == 1
    cache._cache.get_client(key, write=True).script_flush()
    assert cache.count(key, 30)[0] == 2
    cache.delete(key)


@needs_redis
def test_keys_memcached_would_refuse_are_used_without_warnings(recwarn):
    cache = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {})
    key = f"a key with spaces and {'x' * 300} {uuid.uuid4()}"
    cache.set(key, "kept", timeout=30)
    assert cache.get(key) == "kept"
    assert cache.count(key + " counter", 30)[0] == 1
    cache.delete(key)
    cache.delete(key + " counter")
    assert not [w for w in recwarn if issubclass(w.category, CacheKeyWarning)]


def test_the_counter_works_on_any_cache():
    local = LocMemCache(f"counter-{uuid.uuid4()}", {})
    assert count(local, "k", 30) == (1, 30)
    assert count(local, "k", 30) == (2, None)  # Django's API cannot tell the time left
    local.clear()
    assert count(local, "k", 30) == (1, 30)
