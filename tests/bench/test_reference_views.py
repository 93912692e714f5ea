"""bench/views.py's reference views, which every benchmark figure is measured against.

Served through the site's own middleware (bench.urls), on SQLite and PostgreSQL alike.
"""

import pytest
from django.test import Client, override_settings

from bench.models import BareWrite, SignedInWrite
from tests.conftest import CSRF_TOKEN, signed_in_api_client
from tests.factories import learner

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]

SIGNED_IN_WRITE = "/bench/signed-in-write/"


def test_bare_views_answer_json_and_the_write_commits_one_row():
    client = Client()
    assert client.get("/bench/bare/").json() == {"ok": True}
    assert client.get("/bench/bare-write/").json() == {"ok": True}
    assert BareWrite.objects.count() == 1


def test_signed_in_write_records_the_learner():
    user = learner()
    response = signed_in_api_client(user).post(SIGNED_IN_WRITE, HTTP_X_CSRFTOKEN=CSRF_TOKEN)
    assert response.status_code == 201
    assert response.json() == {"ok": True}
    assert list(SignedInWrite.objects.values_list("learner_id", flat=True)) == [user.pk]


@pytest.mark.parametrize(
    "engine", ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cached_db"]
)
def test_signed_in_write_reads_the_session_through_djangos_engines(engine):
    # The floor must cost what Django's own session and authentication middleware cost,
    # whichever engine is configured.
    user = learner()
    with override_settings(SESSION_ENGINE=engine):
        response = signed_in_api_client(user).post(SIGNED_IN_WRITE, HTTP_X_CSRFTOKEN=CSRF_TOKEN)
    assert response.status_code == 201
    assert SignedInWrite.objects.get().learner_id == user.pk


def test_signed_in_write_refuses_without_the_csrf_token():
    response = signed_in_api_client(learner()).post(SIGNED_IN_WRITE)
    assert response.status_code == 403
    assert not SignedInWrite.objects.exists()


def test_signed_in_write_refuses_anonymous_and_get():
    client = Client()
    response = client.post(SIGNED_IN_WRITE)
    assert response.status_code == 401
    assert response.json() == {"detail": "Sign in first."}
    assert client.get(SIGNED_IN_WRITE).status_code == 405
    assert not SignedInWrite.objects.exists()
