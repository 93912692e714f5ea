"""App servers hold no state that needs invalidating: two app server processes on the same
PostgreSQL and Redis, and a publish, a testimony-consent withdrawal and a support-service
change (committed, as an editor's through another server) are served by both at once.

PostgreSQL only (the servers share the test database, which SQLite's in-memory test database
cannot); Redis database 6 is the servers' shared cache.
"""

import datetime
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
import redis
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings
from django.utils import timezone
from wagtail.models import Site

from courses.models import LessonPage, SupportService, Testimony
from tests.conftest import build_module_tree
from tests.factories import learner
from tests.faults.servers import database_url, free_port

ROOT = Path(__file__).resolve().parents[2]
CACHE_URL = "redis://127.0.0.1:6379/6"
TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)

pytestmark = [
    # Committed, so the servers see it; serialized_rollback restores what migrations loaded.
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


class Server:
    def __init__(self, port: int, process: subprocess.Popen):
        self.url, self.process = f"http://127.0.0.1:{port}", process

    def get(self, path: str, session: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - our own loopback server
            self.url + path,
            headers={"Cookie": f"{settings.SESSION_COOKIE_NAME}={session}"},
        )
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
            assert response.status == 200
            return response.read().decode()


def start(port: int) -> Server:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "DJANGO_SETTINGS_MODULE": "cms.settings.dev",
        "DJANGO_DEBUG": "False",
        "SECRET_KEY": settings.SECRET_KEY,  # the session cookie below is signed with it
        "DATABASE_URL": database_url(),
        "CACHE_URL": CACHE_URL,
        "ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(  # noqa: S603
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return Server(port, process)


def wait_until_up(server: Server) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert server.process.poll() is None, "the app server exited"
        try:
            urllib.request.urlopen(server.url + "/healthz", timeout=2).close()  # noqa: S310
            return
        except urllib.error.HTTPError:
            return  # it answers (503 while Redis or the database is unreachable)
        except OSError:
            time.sleep(0.3)
    pytest.fail("the app server did not start within 60 s")


@pytest.fixture
def servers():
    if connection.vendor != "postgresql":
        pytest.skip("two app servers share a PostgreSQL test database")
    try:
        redis.Redis.from_url(CACHE_URL).ping()
    except redis.exceptions.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    # This process writes through the servers' shared cache too, as a third app server would:
    # Wagtail's own invalidation (site root paths) reaches them.
    shared = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache"}}
    shared["default"]["LOCATION"] = CACHE_URL
    with override_settings(CACHES=shared):
        Site.clear_site_root_paths_cache()  # an earlier run's, for another database
        started = [start(free_port()), start(free_port())]
        try:
            for server in started:
                wait_until_up(server)
            yield started
        finally:
            for server in started:
                server.process.terminate()
                server.process.wait(timeout=30)


def test_a_change_through_one_server_is_served_by_the_other_at_once(home_page, servers):
    first, second = servers
    tree = build_module_tree(home_page)
    testimony = Testimony.objects.create(
        attribution="Robin, survivor",
        text="What Robin wants officers to hear.",
        consent_recorded_on=TODAY - 30 * DAY,
        consent_review_by=TODAY + 200 * DAY,
    )
    service = SupportService.objects.create(
        name="Respect Phoneline", description="Help.", phone="0808 802 4040"
    )
    lesson = LessonPage.objects.get(pk=tree.lessons[0].pk)
    lesson.body = [
        ("paragraph", "<p>First version.</p>"),
        ("testimony", testimony),
        ("content_warning", {"text": "<p>Hard content.</p>", "support_services": [service]}),
    ]
    lesson.save_revision().publish()
    client = Client()
    client.force_login(learner("met"))  # a session committed to the database
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    url = LessonPage.objects.get(pk=lesson.pk).url

    for server in (first, second):  # both servers have rendered and kept the lesson
        html = server.get(url, session)
        assert "First version." in html and "What Robin wants officers to hear." in html
        assert "0808 802 4040" in html

    lesson = LessonPage.objects.get(pk=lesson.pk)
    kept = [(child.block_type, child.value) for child in list(lesson.body)[1:]]
    lesson.body = [("paragraph", "<p>Second version.</p>"), *kept]
    lesson.save_revision().publish()
    for server in (second, first):
        assert "Second version." in server.get(url, session)

    testimony.consent_withdrawn_on = TODAY
    testimony.save()
    for server in (first, second):
        assert "What Robin wants officers to hear." not in server.get(url, session)

    service.phone = "0800 123 4567"
    service.save()
    for server in (second, first):
        html = server.get(url, session)
        assert "0800 123 4567" in html and "0808 802 4040" not in html
