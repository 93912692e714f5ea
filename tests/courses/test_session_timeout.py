"""When a session ends under a learner (issue 25, point 1), through real HTTP: a lesson form posted
after the session ended leads to sign-in with the reason and back to the lesson (a GET), "Stay
signed in" really extends the server session, a page's timer that ran out signs out with the
reason, and signed-in pages carry what static/js/session.js needs to warn in time."""

import re
import time
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.contrib.sessions.models import Session
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses.models import ProgressEvent, Reflection
from courses.sessions import REFRESHED_AT, SIGNED_IN_AT
from tests.courses.test_accounts import PASSWORD, verified_learner

pytestmark = pytest.mark.django_db

IDLE_MESSAGE = (
    "You are signed out, so we could not save your last change. We sign you out after 1 hour "
    "without any activity, to protect your information. Sign in again to go back to the lesson."
)


def html(response) -> str:
    return response.content.decode()


def next_of(location: str) -> str:
    parts = urlsplit(location)
    assert parts.path == reverse("account_login")
    return parse_qs(parts.query)["next"][0]


def lesson_posts(tree) -> dict[str, tuple[str, dict]]:
    """Each of the lesson's forms, as the browser posts it."""
    lesson = tree.lessons[-1]
    return {
        "answer": (
            reverse("courses:lesson_answer", args=[lesson.pk]),
            {"block_id": tree.check_block_id, "answer": ["1"]},
        ),
        "reflect": (
            reverse("courses:lesson_reflect", args=[lesson.pk]),
            {"block_id": tree.reflection_block_id, "text": "What I would do differently."},
        ),
        "complete": (
            reverse("courses:lesson_complete", args=[lesson.pk]),
            {"event_id": "8b0f0c36-50a8-4a4c-9d55-8f4a2f0b8b3e"},
        ),
    }


def end_session(client) -> None:
    """The idle timeout passes: the server's session is gone (the CSRF cookie stays)."""
    key = client.cookies[django_settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(pk=key).update(expire_date=timezone.now() - timedelta(seconds=1))


@pytest.fixture
def officer(client):
    user = verified_learner()
    client.force_login(user)
    return user


# --- A lesson form posted after the session ended -----------------------------------------------


@pytest.mark.parametrize("form", ["answer", "reflect", "complete"])
def test_a_signed_out_post_goes_to_sign_in_with_the_lesson_as_next(client, module_tree, form):
    url, data = lesson_posts(module_tree)[form]
    lesson = module_tree.lessons[-1]

    response = client.post(url, data)

    assert response.status_code == 302
    assert next_of(response["Location"]) == lesson.url  # a GET, never the POST-only URL
    sign_in_page = client.get(response["Location"])
    assert IDLE_MESSAGE in html(sign_in_page)
    assert 'role="status"' in html(sign_in_page)
    assert not ProgressEvent.objects.exists() and not Reflection.objects.exists()


def test_after_the_session_ends_signing_in_again_lands_on_the_lesson(client, module_tree):
    verified_learner()
    client.post(reverse("account_login"), {"login": "alex@met.demo.example", "password": PASSWORD})
    lesson = module_tree.lessons[-1]
    assert client.get(lesson.url).status_code == 200
    end_session(client)
    url, data = lesson_posts(module_tree)["reflect"]

    to_sign_in = client.post(url, data)
    signed_in = client.post(
        to_sign_in["Location"],
        {
            "login": "alex@met.demo.example",
            "password": PASSWORD,
            "next": next_of(to_sign_in["Location"]),
        },
    )

    assert signed_in.status_code == 302
    assert signed_in["Location"] == lesson.url
    assert client.get(signed_in["Location"]).status_code == 200
    assert not Reflection.objects.exists()  # nothing half-written: the browser sends it again


def test_a_post_that_meets_the_absolute_limit_gives_one_reason(client, officer, module_tree):
    client.get(reverse("courses:dashboard"))
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - django_settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()
    url, data = lesson_posts(module_tree)["answer"]

    response = client.post(url, data)

    assert next_of(response["Location"]) == module_tree.lessons[-1].url
    page = html(client.get(response["Location"]))
    assert "because you signed in 12 hours ago" in page
    assert "We could not save your last change. Sign in again to go back to the lesson." in page
    assert "without any activity" not in page  # not the idle reason as well
    assert not ProgressEvent.objects.filter(verb="answered").exists()


def test_a_signed_out_post_for_a_lesson_that_is_gone_goes_to_sign_in_then_my_learning(
    client, module_tree
):
    response = client.post(reverse("courses:lesson_complete", args=[999_999]), {})
    assert next_of(response["Location"]) == reverse("courses:dashboard")


@pytest.mark.parametrize("form", ["answer", "reflect", "complete"])
def test_opening_a_lesson_forms_address_goes_to_the_lesson(client, officer, module_tree, form):
    url, _ = lesson_posts(module_tree)[form]
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"] == module_tree.lessons[-1].url
    assert client.get(reverse("courses:lesson_answer", args=[999_999])).status_code == 404
    assert client.put(url).status_code == 405


# --- Stay signed in -----------------------------------------------------------------------------


def test_stay_signed_in_really_extends_the_server_session(client, officer, settings):
    # Refreshes are due only once an hour: an ordinary request would not move the expiry on.
    settings.SESSION_REFRESH_SECONDS = 3600
    client.get(reverse("courses:dashboard"))
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    ten_minutes_left = timezone.now() + timedelta(minutes=10)
    Session.objects.filter(pk=key).update(expire_date=ten_minutes_left)
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - 50 * 60
    session.save()
    Session.objects.filter(pk=key).update(expire_date=ten_minutes_left)

    client.get(reverse("courses:dashboard"))
    assert Session.objects.get(pk=key).expire_date == ten_minutes_left  # no refresh due

    response = client.post(reverse("courses:session_stay_signed_in"))

    assert response.status_code == 200
    assert response.json()["extendable"] is True
    assert (
        settings.SESSION_COOKIE_AGE - 2 <= response.json()["ends_in"] <= settings.SESSION_COOKIE_AGE
    )
    expiry = Session.objects.get(pk=key).expire_date
    assert expiry >= timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 5)
    assert response.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == settings.SESSION_COOKIE_AGE
    assert response["Cache-Control"].startswith("max-age=0")


def test_stay_signed_in_cannot_pass_the_absolute_limit(client, officer, settings):
    client.get(reverse("courses:dashboard"))
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 120
    session.save()

    answer = client.post(reverse("courses:session_stay_signed_in")).json()

    assert answer["extendable"] is False
    assert 110 <= answer["ends_in"] <= 120


def test_stay_signed_in_after_the_session_ended_is_a_401_not_a_redirect(client, officer):
    client.get(reverse("courses:dashboard"))
    end_session(client)
    response = client.post(reverse("courses:session_stay_signed_in"))
    assert response.status_code == 401
    assert response.json() == {"detail": "Your session has ended. Sign in again."}


def test_stay_signed_in_is_a_post_with_a_csrf_token(officer):
    client = Client(enforce_csrf_checks=True)
    client.force_login(officer)
    assert client.get(reverse("courses:session_stay_signed_in")).status_code == 405
    assert client.post(reverse("courses:session_stay_signed_in")).status_code == 403


# --- The page's timer ran out -------------------------------------------------------------------


def test_a_timer_that_ran_out_signs_out_and_says_why(client, officer, module_tree):
    lesson = module_tree.lessons[0]
    response = client.post(
        reverse("courses:session_timed_out"), {"next": lesson.url, "reason": "idle"}
    )

    assert SESSION_KEY not in client.session
    assert next_of(response["Location"]) == lesson.url
    page = html(client.get(response["Location"]))
    assert "We signed you out because you had not done anything for 1 hour." in page
    assert "Sign in again to carry on where you were." in page


def test_a_timer_at_the_absolute_limit_gives_that_reason(client, officer):
    response = client.post(reverse("courses:session_timed_out"), {"reason": "absolute"})
    assert next_of(response["Location"]) == reverse("courses:dashboard")
    assert "because you signed in 12 hours ago" in html(client.get(response["Location"]))


@pytest.mark.parametrize("next_url", ["https://evil.example/", "//evil.example/", ""])
def test_a_timed_out_next_off_this_site_goes_to_my_learning(client, officer, next_url):
    response = client.post(reverse("courses:session_timed_out"), {"next": next_url})
    assert next_of(response["Location"]) == reverse("courses:dashboard")


# --- What the page needs to warn in time --------------------------------------------------------


def body_tag(response) -> str:
    return re.search(r"<body[^>]*>", html(response)).group(0)


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'{name}(?:="([^"]*)")?[\s>]', tag)
    return None if found is None else (found.group(1) or "")


def test_signed_in_pages_say_when_the_session_ends(client, officer, module_tree, settings):
    tag = body_tag(client.get(module_tree.lessons[0].url))
    assert int(attribute(tag, "data-session-ends-in")) == settings.SESSION_COOKIE_AGE
    assert attribute(tag, "data-session-idle") == str(settings.SESSION_COOKIE_AGE)
    assert attribute(tag, "data-session-final") is None
    assert attribute(tag, "data-session-stay-url") == reverse("courses:session_stay_signed_in")
    assert attribute(tag, "data-session-timed-out-url") == reverse("courses:session_timed_out")
    assert attribute(tag, "data-session-sign-in-url") == reverse("account_login")
    assert len(attribute(tag, "data-session-user")) == 20
    assert str(officer.pk) != attribute(tag, "data-session-user")


def test_ends_in_counts_from_the_last_refresh_not_this_request(client, officer):
    client.get(reverse("courses:dashboard"))
    session = client.session
    session[REFRESHED_AT] = int(time.time()) - 30  # refreshed 30 s ago: none due until 60 s
    session.save()
    tag = body_tag(client.get(reverse("courses:dashboard")))
    ends_in = int(attribute(tag, "data-session-ends-in"))
    assert (
        django_settings.SESSION_COOKIE_AGE - 32
        <= ends_in
        <= django_settings.SESSION_COOKIE_AGE - 30
    )


def test_near_the_absolute_limit_the_page_says_activity_cannot_help(client, officer):
    client.get(reverse("courses:dashboard"))
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - django_settings.SESSION_ABSOLUTE_SECONDS + 600
    session.save()
    tag = body_tag(client.get(reverse("courses:dashboard")))
    assert 595 <= int(attribute(tag, "data-session-ends-in")) <= 600
    assert attribute(tag, "data-session-final") == ""


def test_signed_out_pages_carry_no_session_timer(client):
    tag = body_tag(client.get(reverse("account_login")))
    assert "data-session" not in tag
    assert "js/kept-work.js" in html(client.get(reverse("account_login")))  # notes kept work


def test_an_editors_preview_carries_no_session_timer(client, module_tree):
    editor = verified_learner()
    editor.is_superuser = True
    editor.save()
    client.force_login(editor)
    name = django_settings.SESSION_COOKIE_NAME
    original = RequestFactory().get("/admin/", HTTP_COOKIE=f"{name}={client.cookies[name].value}")

    preview = module_tree.lessons[0].make_preview_request(original_request=original)

    assert preview.status_code == 200
    assert module_tree.lessons[0].title in html(preview)
    assert "data-session" not in body_tag(preview)  # no warning dialog inside the admin's frame
    assert "data-session-ends-in" in body_tag(client.get(module_tree.lessons[0].url))
