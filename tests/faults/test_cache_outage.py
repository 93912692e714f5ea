"""Redis killed under a live server: real HTTP requests keep being served.

Pages (Wagtail finds the site through the cache), sign-in (allauth counts failures in the
cache) and the progress API (DRF's throttle counts in the cache) answer as usual; the sign-in
limit still holds, counted in the server's process; /healthz says "cache": "unavailable".
"""

import re
import uuid

import pytest
import requests

from tests.conftest import build_module_tree
from tests.factories import learner
from tests.faults.servers import needs_redis_server, redis_server

pytestmark = [needs_redis_server, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' password)


def verified(email):
    user = learner("met", user__email=email)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


def sign_in(browser, base, email, password=PASSWORD):
    form = browser.get(f"{base}/accounts/login/", timeout=30)
    assert form.status_code == 200
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form.text).group(1)
    return browser.post(
        f"{base}/accounts/login/",
        data={"login": email, "password": password, "csrfmiddlewaretoken": token},
        allow_redirects=False,
        timeout=30,
    )


@pytest.fixture
def redis(settings):
    with redis_server() as server:
        settings.CACHES = {
            "default": {
                "BACKEND": "cms.cache.DegradingRedisCache",
                "LOCATION": server.url,
                "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1, "RETRY_SECONDS": 1},
            }
        }
        yield server


def test_with_redis_killed_pages_sign_in_and_progress_keep_working(live_server, redis, home_page):
    base = live_server.url
    tree = build_module_tree(home_page)
    verified("alex@met.demo.example")
    verified("target@met.demo.example")
    assert requests.get(f"{base}/healthz", timeout=30).json()["cache"] == "ok"

    redis.kill()

    browser = requests.Session()
    assert browser.get(f"{base}/en-gb/", timeout=30).status_code == 200
    signed_in = sign_in(browser, base, "alex@met.demo.example")
    assert signed_in.status_code == 302, signed_in.text
    assert signed_in.headers["Location"] == "/en-gb/my-learning/"
    assert browser.get(f"{base}/en-gb/my-learning/", timeout=30).status_code == 200
    lesson = tree.lessons[0]
    assert browser.get(f"{base}{lesson.url}", timeout=30).status_code == 200
    recorded = browser.post(
        f"{base}/api/v1/progress/",
        json={"id": str(uuid.uuid4()), "lesson": lesson.pk, "verb": "completed"},
        headers={"X-CSRFToken": browser.cookies["csrftoken"]},
        timeout=30,
    )
    assert recorded.status_code == 201, recorded.text

    health = requests.get(f"{base}/healthz", timeout=30)
    assert health.status_code == 200
    assert health.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}

    # Guessing is still slowed: five failures lock the account, counted in this process.
    guesser = requests.Session()
    for _ in range(5):
        assert "not correct" in sign_in(guesser, base, "target@met.demo.example", "guess").text
    locked = sign_in(guesser, base, "target@met.demo.example")
    assert "Too many failed login attempts" in locked.text
