"""bench/urls.py's reference views, which every benchmark figure is measured against.

The benchmark runs on PostgreSQL only (bench/run.py refuses anything else), and so do these.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client, override_settings

from bench.urls import REFERENCE_TABLES
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import learner

pytestmark = [
    pytest.mark.skipif(
        "postgresql" not in settings.DATABASES["default"]["ENGINE"],
        reason="needs PostgreSQL: the benchmark and its tables are PostgreSQL's",
    ),
    pytest.mark.django_db,
]

SIGNED_IN_WRITE = "/bench/signed-in-write/"


@pytest.fixture(autouse=True)
def reference_tables():
    with override_settings(ROOT_URLCONF="bench.urls"), connection.cursor() as cursor:
        for statement in REFERENCE_TABLES:  # rolled back with the test
            cursor.execute(statement)
        yield


def rows(table: str) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608 - the test's own table names
        return cursor.fetchall()


def test_bare_views_answer_json_and_the_write_commits_one_row():
    client = Client()
    assert client.get("/bench/bare/").json() == {"ok": True}
    assert client.get("/bench/bare-write/").json() == {"ok": True}
    assert len(rows("bench_bare_write")) == 1


def test_signed_in_write_records_the_learner():
    user = learner()
    response = signed_in_api_client(user).post(SIGNED_IN_WRITE, HTTP_X_CSRFTOKEN=CSRF_TOKEN)
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    [(_, learner_id, _)] = rows("bench_signed_in_write")
    assert learner_id == user.pk


def test_signed_in_write_refuses_without_the_csrf_token():
    response = signed_in_api_client(learner()).post(SIGNED_IN_WRITE)
    assert response.status_code == 403
    assert rows("bench_signed_in_write") == []


def test_signed_in_write_refuses_anonymous_and_get():
    client = Client()
    response = client.post(SIGNED_IN_WRITE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in first."}
    assert client.get(SIGNED_IN_WRITE).status_code == 405
    assert rows("bench_signed_in_write") == []
