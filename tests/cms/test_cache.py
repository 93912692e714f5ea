"""cms.cache: Django's Redis backend, degrading while Redis is down, against a Redis of the
test's own that the test kills."""

import logging
import time
import uuid

import pytest

from cms.cache import DegradingRedisCache
from tests.cms.test_settings import manage
from tests.faults.servers import needs_redis_server, redis_server

pytestmark = needs_redis_server


@pytest.fixture
def redis():
    with redis_server() as server:
        yield server


def backend(redis, retry_seconds=0.2):
    return DegradingRedisCache(
        redis.url,
        {"OPTIONS": {"socket_connect_timeout": 0.5, "RETRY_SECONDS": retry_seconds}},
    )


def test_while_redis_answers_it_is_djangos_redis_cache(redis):
    cache = backend(redis)
    key = f"test-{uuid.uuid4()}"
    cache.set(key, {"events": 1}, timeout=30)
    assert cache.get(key) == {"events": 1}
    assert cache.add(key, "other", timeout=30) is False
    cache.delete(key)
    assert cache.get(key, "gone") == "gone"
    assert cache.add("throttle_x", 1, 30) is True
    assert cache.incr("throttle_x") == 2
    # Shared: another backend object (another process) sees the same values.
    assert backend(redis).get("throttle_x") == 2


def test_with_redis_down_caching_is_bypassed_without_errors(redis, caplog):
    cache = backend(redis)
    cache.set("page", "kept", 30)
    redis.kill()

    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        assert cache.get("page") is None  # a miss: the caller reads the database
        cache.set("page", "new", 30)
        assert cache.get("page", "default") == "default"
        assert cache.get_many(["page", "other"]) == {}
        cache.delete("page")
        cache.set_many({"a": 1}, 30)
        cache.delete_many(["a"])
        assert cache.has_key("page") is False
        with pytest.raises(ValueError):
            cache.incr("page")  # as Django's API says for a key that is not there

    warnings = [r for r in caplog.records if r.name == "cms.cache"]
    assert len(warnings) == 1  # once when Redis goes, not once a call
    assert "unreachable" in warnings[0].getMessage()


def test_with_redis_down_rate_limits_are_counted_in_the_process(redis):
    """allauth's and DRF's counters go on, in this process's memory."""
    cache = backend(redis)
    redis.kill()
    key = f"allauth:rl:account:login_failed:{uuid.uuid4()}"
    assert cache.add(f"{key}:lock", True, 10) is True
    assert cache.add(f"{key}:lock", True, 10) is False  # allauth's lock still excludes
    cache.set(key, [1.0, 2.0], 60)
    assert cache.get(key) == [1.0, 2.0]
    assert backend(redis).get(key) == [1.0, 2.0]  # shared by the process's threads
    throttle = f"throttle_learner_progress_{uuid.uuid4()}"
    cache.set(throttle, [time.time()], 60)
    assert len(cache.get(throttle, [])) == 1


def test_after_a_failure_redis_is_left_alone_then_used_again(redis, caplog):
    cache = backend(redis, retry_seconds=60)
    redis.kill()
    assert cache.get("k") is None
    redis.start()  # back, on the same port
    assert cache.get("k", "skipped") == "skipped"  # not tried within the retry period

    cache = backend(redis, retry_seconds=0.2)
    redis.kill()
    assert cache.get("k") is None
    redis.start()
    time.sleep(0.3)
    with caplog.at_level(logging.WARNING, logger="cms.cache"):
        cache.set("k", "back", 30)
        assert cache.get("k") == "back"
    assert "reachable again" in caplog.records[-1].getMessage()


def test_a_dead_redis_costs_a_request_no_connect_timeout_per_call(redis):
    cache = backend(redis, retry_seconds=5)
    redis.kill()
    started = time.monotonic()
    for n in range(200):
        cache.get(f"key-{n}")
    assert time.monotonic() - started < 1.0


def test_a_redis_cache_url_selects_the_degrading_backend_with_short_timeouts():
    done = manage(
        "shell",
        "-c",
        "from django.conf import settings; c = settings.CACHES['default'];"
        "print(c['BACKEND'], sorted(c['OPTIONS'].items()))",
        CACHE_URL="redis://127.0.0.1:6379/15",
        DJANGO_SETTINGS_MODULE="cms.settings.dev",
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip().splitlines()[-1] == (
        "cms.cache.DegradingRedisCache [('RETRY_SECONDS', 5.0), "
        "('socket_connect_timeout', 0.5), ('socket_timeout', 1.0)]"
    )
