"""The API's rate limits: DRF's throttles in the default cache, holding while Redis is down."""

import pytest
from django.core.cache import cache
from rest_framework.throttling import ScopedRateThrottle

from tests.courses.api.test_progress_api import ME_URL
from tests.factories import learner
from tests.faults.servers import needs_redis_server, redis_server

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


def test_a_learner_over_the_rate_waits(client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "learner_progress", "2/min")
    client.force_login(learner())
    assert [client.get(ME_URL).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get(ME_URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Expected available in" in refused.json()["detail"]


def test_each_learner_has_an_allowance_of_their_own(client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "learner_progress", "1/min")
    client.force_login(learner())
    assert [client.get(ME_URL).status_code for _ in range(2)] == [200, 429]
    client.force_login(learner())
    assert client.get(ME_URL).status_code == 200


@needs_redis_server
def test_with_redis_down_the_limit_holds_in_each_process(client, monkeypatch, settings):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "learner_progress", "2/min")
    with redis_server() as redis:
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.cache.DegradingRedisCache",
                "LOCATION": redis.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "RETRY_SECONDS": 60},
            }
        }
        client.force_login(learner())
        redis.kill()
        assert [client.get(ME_URL).status_code for _ in range(3)] == [200, 200, 429]
