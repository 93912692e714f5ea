"""cms.cache: Django's Redis backend with one client per connection pool, against real Redis."""

import socket
import uuid

import pytest

from cms.cache import RedisCache
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
