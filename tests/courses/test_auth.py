"""courses.auth: the user and the learner profile in one query, for both sign-in backends."""

import pytest
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.test import Client

from courses.auth import load_signed_in_user
from courses.models import LearnerProfile
from tests.conftest import field_values
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
    # 1 the session joined to the user and the learner profile (courses.sessions); 2 the module
    # rows; 3 the lesson rows (no learner-profile query of its own)
    with django_assert_num_queries(3):
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


def test_the_loaded_user_and_profile_equal_the_orms(db, django_assert_num_queries):
    officer = learner("met", user__first_name="Sam", user__last_name="Okafor")
    officer.last_login = officer.date_joined
    officer.save()
    for person in (officer, UserFactory(is_staff=True)):
        expected = get_user_model().objects.select_related("learner_profile").get(pk=person.pk)
        with django_assert_num_queries(1):
            user = load_signed_in_user(person.pk)
        assert type(user) is type(expected)
        assert field_values(user) == field_values(expected)
        assert user._state.adding is False and user._state.db == "default"
        with django_assert_num_queries(0):
            try:
                profile = user.learner_profile
            except LearnerProfile.DoesNotExist:
                profile = None
            if profile is not None:
                assert profile.user is user
        if hasattr(expected, "learner_profile"):
            assert field_values(profile) == field_values(expected.learner_profile)
            assert profile._state.adding is False
        else:
            assert profile is None


def test_an_unknown_or_malformed_user_id_loads_no_user(db):
    assert load_signed_in_user(10**9) is None
    assert load_signed_in_user("not a number") is None
    assert load_signed_in_user(str(learner().pk)) is not None  # as a session stores it


def test_a_session_naming_a_deleted_user_is_signed_out(db):
    user = learner()
    client = Client()
    client.force_login(user)
    user.delete()
    assert client.get("/api/v1/me/progress/").status_code == 401


def test_the_content_token_is_read_with_the_user(db, django_assert_num_queries):
    """courses.structure serves pages under the token the user's statement read: the same
    value current_token() returns, and None before any content exists."""
    from courses import structure
    from courses.models import ContentVersion

    ContentVersion.objects.all().delete()
    person = learner()
    user = load_signed_in_user(person.pk)
    assert user.content_token_at_load == ("default", None)
    structure.content_changed()
    with django_assert_num_queries(1):
        user = load_signed_in_user(person.pk)
    assert user.content_token_at_load == ("default", structure.current_token())
    assert user.content_token_at_load[1] is not None
