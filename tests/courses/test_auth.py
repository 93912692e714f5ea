"""courses.auth: the user and the learner profile in one query, for both sign-in backends."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY
from django.test import Client

from tests.factories import UserFactory, learner


@pytest.mark.parametrize(
    "backend", ["courses.auth.ModelBackend", "courses.auth.AuthenticationBackend"]
)
def test_the_learner_profile_comes_with_the_user(db, backend, django_assert_num_queries):
    user = learner()
    client = Client()
    client.force_login(user, backend=backend)
    assert client.session[BACKEND_SESSION_KEY] == backend
    client.get("/api/v1/me/progress/")  # the first request after sign-in refreshes the session
    # 1 the session; 2 the user joined to the learner profile; 3 the module rows; 4 the lesson
    # rows (no learner-profile query of its own)
    with django_assert_num_queries(4):
        response = client.get("/api/v1/me/progress/")
    assert response.status_code == 200


def test_a_user_without_a_profile_is_still_signed_in_and_told_why_not(db):
    client = Client()
    client.force_login(UserFactory())
    response = client.get("/api/v1/me/progress/")
    assert response.status_code == 403
    assert "not linked to a police force" in response.json()["detail"]


def test_a_deactivated_user_is_signed_out(db):
    user = learner()
    client = Client()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/api/v1/me/progress/").status_code == 401
