"""courses.api.throttling: rate limits counted per window, on the local cache and on Redis."""

import time
import uuid

import pytest
from django.core.cache import cache
from django.test import RequestFactory
from rest_framework.throttling import ScopedRateThrottle

from cms.cache import RedisCache
from courses.api.throttling import LearnerScopedRateThrottle
from tests.cms.test_cache import REDIS, needs_redis
from tests.courses.api.test_progress_api import ME_URL
from tests.factories import learner

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


class View:
    throttle_scope = "learner_progress"


def allowed(throttle_cache, user, rate):
    request = RequestFactory().get("/")
    request.user = user
    throttle = LearnerScopedRateThrottle()
    throttle.cache = throttle_cache
    throttle.THROTTLE_RATES = {"learner_progress": rate}
    return throttle.allow_request(request, View()), throttle


def test_a_learner_over_the_rate_waits_for_the_window_to_end(client, monkeypatch):
    monkeypatch.setitem(ScopedRateThrottle.THROTTLE_RATES, "learner_progress", "2/min")
    client.force_login(learner())
    assert [client.get(ME_URL).status_code for _ in range(3)] == [200, 200, 429]
    refused = client.get(ME_URL)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert "Expected available in" in refused.json()["detail"]


def test_a_history_left_by_drfs_throttle_does_not_get_in_the_way(client):
    officer = learner()
    # What ScopedRateThrottle stored before: a list of times under the plain key.
    cache.set(f"throttle_learner_progress_{officer.pk}", [time.time()] * 3, 60)
    client.force_login(officer)
    assert client.get(ME_URL).status_code == 200


def test_the_window_ends_and_the_count_starts_again():
    officer = learner()
    assert allowed(cache, officer, "1/s")[0]
    assert not allowed(cache, officer, "1/s")[0]
    time.sleep(1.1)
    assert allowed(cache, officer, "1/s")[0]


@needs_redis
def test_on_redis_each_learner_has_a_counter_and_retry_after_is_the_time_left():
    redis = RedisCache(f"redis://{REDIS[0]}:{REDIS[1]}/15", {"KEY_PREFIX": uuid.uuid4().hex})
    officer, other = learner(), learner()
    assert [allowed(redis, officer, "2/min")[0] for _ in range(3)] == [True, True, False]
    refused, throttle = allowed(redis, officer, "2/min")
    assert not refused and 55 <= throttle.wait() <= 60
    assert allowed(redis, other, "2/min")[0]  # someone else's allowance
    redis.clear()
