"""What bench.prepare gives the scenarios: sessions that sign in through the configured session
engine, and managers' keys made by the documented command."""

import pytest
from django.test import Client

from bench import prepare
from bench.models import SignedInWrite
from tests.factories import learner

pytestmark = [pytest.mark.django_db, pytest.mark.urls("bench.urls")]


def test_sessions_sign_the_learners_in_with_their_csrf_secret():
    users = [learner(user__username=f"scale-{n}") for n in range(3)]
    learner(user__username="someone-else")
    sessions = prepare.signed_in_sessions(5)
    assert [s["user"] for s in sessions] == [u.pk for u in users]
    for session in sessions:
        client = Client(enforce_csrf_checks=True, HTTP_COOKIE=session["cookie"])
        response = client.post("/bench/signed-in-write/", HTTP_X_CSRFTOKEN=session["csrf"])
        assert response.status_code == 201
    assert sorted(SignedInWrite.objects.values_list("learner_id", flat=True)) == sorted(
        u.pk for u in users
    )


def test_api_keys_read_the_forces_named():
    keys = prepare.api_keys(["met", "gmp"], count=2)
    assert len(set(keys)) == 2
    client = Client()
    for force in ("met", "gmp"):
        response = client.get(
            f"/api/v1/forces/{force}/summary/", HTTP_AUTHORIZATION=f"Bearer {keys[0]}"
        )
        assert response.status_code == 200
    response = client.get("/api/v1/forces/psni/summary/", HTTP_AUTHORIZATION=f"Bearer {keys[1]}")
    assert response.status_code == 404
