"""Sessions are Django's own (database, or cached_db in production) with Django's and allauth's
backends; a session cookie no engine could have issued is treated as no session."""

import pytest
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, get_user_model
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from courses import services
from tests.cms.test_settings import manage, production_env
from tests.factories import learner

pytestmark = pytest.mark.django_db
ME_URL = "/api/v1/me/progress/"


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def session_key(client) -> str:
    return client.cookies[settings.SESSION_COOKIE_NAME].value


def test_sessions_and_backends_are_djangos_and_allauths():
    assert settings.SESSION_ENGINE == "django.contrib.sessions.backends.db"
    assert settings.AUTHENTICATION_BACKENDS == [
        "django.contrib.auth.backends.ModelBackend",
        "allauth.account.auth_backends.AuthenticationBackend",
    ]
    assert "django.contrib.auth.middleware.AuthenticationMiddleware" in settings.MIDDLEWARE


@pytest.mark.django_db(databases=[])
def test_production_reads_sessions_through_the_shared_cache(tmp_path):
    done = manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.SESSION_ENGINE)",
        **production_env(tmp_path),
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == "django.contrib.sessions.backends.cached_db"


def test_a_signed_in_request_reads_its_session_and_user(django_assert_num_queries):
    client = signed_in(learner("met"))
    client.get(ME_URL)  # the first request after sign-in refreshes the session
    # 1 session, 2 user, 3 learner profile, 4 module rows, 5 lesson rows
    with django_assert_num_queries(5):
        assert client.get(ME_URL).status_code == 200


def test_the_learner_profile_is_the_users_relation():
    user = learner("met")
    client = signed_in(user)
    assert client.session[BACKEND_SESSION_KEY] == "django.contrib.auth.backends.ModelBackend"
    assert client.get(ME_URL).status_code == 200


def test_a_deactivated_user_is_signed_out():
    user = learner("met")
    client = signed_in(user)
    get_user_model().objects.filter(pk=user.pk).update(is_active=False)
    assert client.get(ME_URL).status_code == 401


def test_a_changed_password_signs_out_other_sessions():
    user = learner("met")
    client = signed_in(user)
    key = session_key(client)
    user.set_password("a-new-and-longer-passphrase")
    user.save()
    assert client.get(ME_URL).status_code == 401
    assert not Session.objects.filter(pk=key).exists()  # flushed by Django


def test_an_expired_session_is_signed_out():
    client = signed_in(learner("met"))
    Session.objects.filter(pk=session_key(client)).update(expire_date=timezone.now())
    assert client.get(ME_URL).status_code == 401


def test_corrupted_session_data_signs_out():
    client = signed_in(learner("met"))
    Session.objects.filter(pk=session_key(client)).update(session_data="not signed data")
    assert client.get(ME_URL).status_code == 401


def test_a_session_naming_a_backend_no_longer_configured_is_signed_out():
    client = signed_in(learner("met"))
    session = client.session
    session[BACKEND_SESSION_KEY] = "courses.auth.ModelBackend"  # before Django's own sessions
    session.save()
    assert client.get(ME_URL).status_code == 401


def test_erasure_signs_the_learner_out_on_every_device():
    user, colleague = learner("met"), learner("met")
    devices = [signed_in(user), signed_in(user)]
    other = signed_in(colleague)
    services.learner_erase(user=user)
    assert [device.get(ME_URL).status_code for device in devices] == [401, 401]
    assert other.get(ME_URL).status_code == 200


BAD_KEYS = [
    "abc\x00def0123456789abcdef012345678",  # NUL: PostgreSQL refuses it in a string
    "abcdef0123456789\x01abcdef01234567",
    "abcdef0123456789\x7fabcdef01234567",
    "abcdef0123456789\tabcdef012345678",
    "a" * 41,  # longer than the sessions table's key column
    "a" * 5000,
    "ABCDEF0123456789ABCDEF0123456789",
    "abc;def0123456789abcdef012345678",
    "short",
]


@pytest.mark.parametrize("key", BAD_KEYS)
@pytest.mark.parametrize("url", ["/en-gb/", ME_URL, "/accounts/login/", "/en-gb/my-learning/"])
def test_a_malformed_session_cookie_is_no_session(key, url):
    client = Client()
    response = client.get(url, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}")
    assert response.status_code in (200, 302, 401)  # as for a visitor without a cookie
    assert Client().get(url).status_code == response.status_code
    cookie = response.cookies.get(settings.SESSION_COOKIE_NAME)
    assert cookie is not None and cookie.value != key  # replaced or deleted


@pytest.mark.parametrize("key", BAD_KEYS[:3])
def test_a_malformed_session_cookie_next_to_a_valid_sign_in_form_post(key):
    client = Client()
    response = client.post(
        "/accounts/login/",
        {"login": "nobody@met.demo.example", "password": "wrong-password-here"},
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}",
    )
    assert response.status_code in (200, 403)  # the form again, or CSRF: never a 500


def test_a_well_formed_unknown_key_is_no_session():
    client = Client()
    client.cookies[settings.SESSION_COOKIE_NAME] = "0" * 32
    assert client.get(ME_URL).status_code == 401


@hypothesis_settings(max_examples=60, deadline=None)
@given(key=st.text(st.characters(codec="latin-1"), max_size=300))
def test_any_session_cookie_is_a_session_or_none_never_a_500(key):
    # Any character a Cookie header can carry, control characters included.
    response = Client().get(ME_URL, HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={key}")
    assert response.status_code == 401
