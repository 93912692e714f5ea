import json
import os
import subprocess
import sys
from pathlib import Path

from tests.cms.test_settings import manage, production_env
from tests.faults.servers import needs_redis_server, redis_server

ROOT = Path(__file__).resolve().parents[2]


def test_healthz_reports_database_ok(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-cache" in response["Cache-Control"]


def test_healthz_returns_503_when_database_is_down():
    # A real request in a fresh process whose database cannot be reached (nothing listens on 1).
    script = (
        "import django, json; django.setup();"
        "from django.test import Client;"
        "r = Client(HTTP_HOST='localhost').get('/healthz');"
        "print(json.dumps({'status': r.status_code, 'body': r.json()}))"
    )
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cms.settings.test",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:1/unreachable",
    }
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result == {
        "status": 503,
        "body": {"status": "error", "database": "unavailable", "cache": "ok"},
    }


def test_healthz_only_answers_get(client, db):
    assert client.post("/healthz").status_code == 405


@needs_redis_server
def test_healthz_says_the_cache_is_unavailable_and_stays_in_rotation(client, db, settings):
    """The site still serves without Redis (more slowly): 200, so the load balancer keeps the
    server, with "cache": "unavailable" for the operators."""
    with redis_server() as redis:
        settings.CACHES = {
            "default": {"BACKEND": "cms.cache.DegradingRedisCache", "LOCATION": redis.url}
        }
        assert client.get("/healthz").json()["cache"] == "ok"
        redis.kill()
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "degraded", "database": "ok", "cache": "unavailable"}


def test_healthz_answers_plain_http_under_the_production_settings(tmp_path):
    """Load balancers probe over HTTP: no redirect to https for /healthz, and only for it."""
    script = (
        "from django.test import Client;"
        "c = Client(HTTP_HOST='training.example.org');"
        "print(c.get('/healthz').status_code, c.get('/healthz/').status_code,"
        " c.get('/').status_code)"
    )
    done = manage("shell", "-c", script, **production_env(tmp_path))
    assert done.returncode == 0, done.stderr
    healthz, with_slash, page = done.stdout.strip().splitlines()[-1].split()
    assert healthz == "200"
    assert (with_slash, page) == ("301", "301")
