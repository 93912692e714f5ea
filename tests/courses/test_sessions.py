"""courses.sessions: the session and its signed-in user read in one statement, through real
HTTP, with Django's checks kept; and the migration that carries Django's sessions over."""

import importlib
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth import SESSION_KEY, get_user_model
from django.contrib.sessions.backends.db import SessionStore as DjangoSessionStore
from django.contrib.sessions.models import Session as DjangoSession
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.auth import NOT_READ
from courses.models import LearnerProfile, UserSession
from courses.sessions import SessionStore
from tests.conftest import field_values
from tests.factories import UserFactory, learner

pytestmark = pytest.mark.django_db
ME_URL = "/api/v1/me/progress/"
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' test password)
copy_live_sessions = importlib.import_module(
    "courses.migrations.0011_usersession"
).copy_live_sessions


@pytest.fixture(autouse=True)
def clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    client.get(ME_URL)  # the first request after sign-in refreshes the session
    return client


def row(client) -> UserSession:
    return UserSession.objects.get(session_key=client.cookies[settings.SESSION_COOKIE_NAME].value)


def test_the_default_engine_is_this_one():
    assert settings.SESSION_ENGINE == "courses.sessions"
    assert UserSession.get_session_store_class() is SessionStore


def test_signing_in_with_a_password_records_the_user_on_the_session_row(client):
    user = learner("met", user__email="alex@met.demo.example")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    assert row(client).user_id == user.pk
    assert client.get(ME_URL).status_code == 200

    client.post(reverse("account_logout"))
    assert not UserSession.objects.filter(user=user).exists()


def test_a_visitors_session_has_no_user():
    session = SessionStore()
    session["seen"] = True
    session.create()
    stored = UserSession.objects.get(session_key=session.session_key)
    assert stored.user_id is None
    loaded = SessionStore(session.session_key)
    assert loaded["seen"] is True
    assert loaded.user_read_with_session(1) is NOT_READ


def test_a_session_naming_no_valid_user_id_stores_none():
    session = SessionStore()
    session[SESSION_KEY] = "not-a-number"
    session.create()
    assert UserSession.objects.get(session_key=session.session_key).user_id is None


def test_the_session_and_the_user_are_one_statement():
    client = signed_in(learner("met"))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(ME_URL).status_code == 200
    first = queries.captured_queries[0]["sql"]
    assert UserSession._meta.db_table in first and "auth_user" in first
    assert LearnerProfile._meta.db_table in first
    later = [q["sql"] for q in queries.captured_queries[1:]]
    assert not any('FROM "auth_user"' in sql for sql in later)
    assert not any(UserSession._meta.db_table in sql for sql in later)


def test_the_user_read_with_the_session_equals_the_orms(django_assert_num_queries):
    for person in (learner("met", user__first_name="Sam"), UserFactory(is_staff=True)):
        client = signed_in(person)
        key = client.cookies[settings.SESSION_COOKIE_NAME].value
        expected = get_user_model().objects.select_related("learner_profile").get(pk=person.pk)
        session = SessionStore(key)
        with django_assert_num_queries(1):
            assert int(session[SESSION_KEY]) == person.pk
            user = session.user_read_with_session(person.pk)
        assert field_values(user) == field_values(expected)
        assert user._state.adding is False and user._state.db == "default"
        with django_assert_num_queries(0):
            profile = getattr(user, "learner_profile", None)
        if hasattr(expected, "learner_profile"):
            assert field_values(profile) == field_values(expected.learner_profile)
            assert profile.user is user
        else:
            assert profile is None
        assert user.has_groups_or_permissions is False
        assert session.user_read_with_session(person.pk + 1000) is NOT_READ


def test_the_sessions_data_names_the_user_not_the_column(django_assert_num_queries):
    """The column is only a copy: a session whose column disagrees with its data (it cannot,
    short of editing the table) is signed in as its data says, at the cost of a query."""
    officer = learner("met")
    client = signed_in(officer)
    inactive = learner("gmp", user__is_active=False)
    UserSession.objects.filter(pk=row(client).pk).update(user=inactive)
    with django_assert_num_queries(4):  # session, officer (again), module rows, lesson rows
        assert client.get(ME_URL).status_code == 200


def test_a_deactivated_user_is_still_signed_out():
    user = learner("met")
    client = signed_in(user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(ME_URL).status_code == 401


def test_a_changed_password_still_signs_out_other_sessions():
    user = learner("met")
    client = signed_in(user)
    key = row(client).session_key
    user.set_password("a-new-and-longer-passphrase")
    user.save()
    assert client.get(ME_URL).status_code == 401
    assert not UserSession.objects.filter(pk=key).exists()  # flushed, as Django does


def test_an_expired_session_is_signed_out_and_not_reused():
    client = signed_in(learner("met"))
    stale = row(client)
    UserSession.objects.filter(pk=stale.pk).update(expire_date=timezone.now())
    assert client.get(ME_URL).status_code == 401
    assert SessionStore(stale.session_key).load() == {}


def test_corrupted_session_data_signs_out():
    client = signed_in(learner("met"))
    UserSession.objects.filter(pk=row(client).pk).update(session_data="not signed data")
    assert client.get(ME_URL).status_code == 401


def test_a_malformed_cookie_costs_no_query(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert SessionStore("short").load() == {}
    client.cookies[settings.SESSION_COOKIE_NAME] = "short"
    assert client.get(ME_URL).status_code == 401


def test_a_session_of_a_user_deleted_without_the_orm_is_signed_out():
    user = learner("met")
    client = signed_in(user)
    # The column has no database constraint, so the row can outlive its user.
    LearnerProfile.objects.filter(user=user).delete()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM auth_user WHERE id = %s", [user.pk])
    assert client.get(ME_URL).status_code == 401


def test_deleting_a_user_deletes_their_sessions():
    user = learner("met")
    signed_in(user), signed_in(user)
    assert UserSession.objects.filter(user=user).count() == 2
    user.delete()
    assert not UserSession.objects.exists()


def test_erasure_signs_the_learner_out_on_every_device():
    user, colleague = learner("met"), learner("met")
    devices = [signed_in(user), signed_in(user)]
    other = signed_in(colleague)
    services.learner_erase(user=user)
    assert not UserSession.objects.filter(user=user).exists()
    assert [device.get(ME_URL).status_code for device in devices] == [401, 401]
    assert other.get(ME_URL).status_code == 200


def test_djangos_own_database_engine_still_works(settings, django_assert_num_queries):
    """Without courses.sessions the backends query the user as before: one query more."""
    settings.SESSION_ENGINE = "django.contrib.sessions.backends.db"
    client = signed_in(learner("met"))
    with django_assert_num_queries(4):  # session, user, module rows, lesson rows
        assert client.get(ME_URL).status_code == 200


def _django_session(user=None, *, expires_in=timedelta(hours=1), **data):
    store = DjangoSessionStore()
    if user is not None:
        store[SESSION_KEY] = str(user.pk)
        store["_auth_user_backend"] = settings.AUTHENTICATION_BACKENDS[0]
        store["_auth_user_hash"] = user.get_session_auth_hash()
    store.update(data)
    store.set_expiry(timezone.now() + expires_in)
    store.create()
    return store.session_key


def test_the_migration_carries_djangos_live_sessions_over():
    officer, colleague = learner("met"), learner("gmp")
    signed = _django_session(officer)
    visitor = _django_session(seen=True)
    expired = _django_session(colleague, expires_in=timedelta(seconds=-1))
    UserSession.objects.all().delete()

    copy_live_sessions(apps, SimpleNamespace(connection=connection))

    copied = {s.session_key: s for s in UserSession.objects.all()}
    assert set(copied) == {signed, visitor}
    assert expired not in copied and DjangoSession.objects.filter(pk=expired).exists()
    assert copied[signed].user_id == officer.pk
    assert copied[visitor].user_id is None
    assert copied[signed].session_data == DjangoSession.objects.get(pk=signed).session_data
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = signed
    assert client.get(ME_URL).status_code == 200  # still signed in, under the new engine
    assert SessionStore(visitor)["seen"] is True
