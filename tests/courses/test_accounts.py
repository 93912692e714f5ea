"""Accounts through real HTTP: force-only registration, email verification, sign-in throttling
by account, sign out, password reset and the session's idle and absolute lifetimes."""

import re
import time

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from courses.models import LearnerProfile, LearnerRole
from courses.sessions import REFRESHED_AT, SIGNED_IN_AT
from tests.conftest import signup
from tests.factories import learner

pytestmark = pytest.mark.django_db
User = get_user_model()
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' test password)


@pytest.fixture(autouse=True)
def clean_rate_limits():
    # allauth keeps rate-limit counters in the cache; each test starts from zero.
    cache.clear()
    yield
    cache.clear()


def sign_in(client, email, password=PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password}, **extra)


def confirmation_link(message) -> str:
    return re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^\s]+/)", message.body).group(1)


# --- Registration -------------------------------------------------------------------------------


def test_signup_form_has_labelled_fields_for_name_role_and_staff_number(client):
    html = client.get(reverse("account_signup")).content.decode()
    for field in ("first_name", "last_name", "email", "role", "staff_number", "password1"):
        assert f'<label for="id_{field}"' in html
    assert "Staff or collar number (optional)" in html


def test_registration_with_a_force_domain_creates_a_learner_in_that_force(client, gmp_domain):
    response = signup(client, "Sam.Okafor@GMP.demo.example")

    assert response.status_code == 302
    user = User.objects.get(email__iexact="sam.okafor@gmp.demo.example")
    profile = LearnerProfile.objects.get(user=user)
    assert profile.force.code == "gmp"
    assert profile.role == LearnerRole.CALL_HANDLER
    assert profile.staff_number == "GM1234"
    assert user.get_full_name() == "Sam Okafor"


def test_staff_number_is_optional(client, gmp_domain):
    assert signup(client, "pat@gmp.demo.example", staff_number="").status_code == 302
    assert LearnerProfile.objects.get(user__email="pat@gmp.demo.example").staff_number == ""


@pytest.mark.parametrize(
    "email",
    [
        "someone@gmail.example",  # not a force domain
        "someone@evil.gmp.demo.example",  # a subdomain is not the force's domain
        "someone@gmp.demo.example.attacker.example",
    ],
)
def test_registration_rejects_emails_outside_force_domains(client, gmp_domain, email):
    response = signup(client, email)

    assert response.status_code == 200
    assert "Use your force email address" in response.content.decode()
    assert not User.objects.filter(email=email).exists()
    assert mail.outbox == []


def test_registration_rejects_a_domain_of_an_inactive_force(client, gmp_domain):
    Force = type(gmp_domain.force)
    Force.objects.filter(code="gmp").update(is_active=False)

    response = signup(client, "sam@gmp.demo.example")

    assert response.status_code == 200
    assert "Use your force email address" in response.content.decode()
    assert not User.objects.exists()


def test_registration_rejects_an_unknown_role(client, gmp_domain):
    response = signup(client, "sam@gmp.demo.example", role="chief-wizard")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not User.objects.exists()


def test_registration_errors_are_summarised_and_linked_to_their_fields(client, gmp_domain):
    html = signup(client, "someone@elsewhere.example", first_name="").content.decode()
    assert 'role="alert"' in html
    assert 'href="#id_first_name"' in html
    assert 'aria-invalid="true"' in html


def test_an_added_email_address_must_also_be_a_force_address(client, gmp_domain):
    user = verified_learner()
    client.force_login(user)

    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "me@personal.example"}
    )

    assert response.status_code == 200
    assert "Use your force email address" in response.content.decode()
    assert not user.emailaddress_set.filter(email="me@personal.example").exists()
    client.post(reverse("account_email"), {"action_add": "", "email": "me@gmp.demo.example"})
    assert user.emailaddress_set.filter(email="me@gmp.demo.example").exists()


# --- Email verification -------------------------------------------------------------------------


def test_email_must_be_verified_before_signing_in(client, gmp_domain):
    signup(client, "sam@gmp.demo.example")
    assert len(mail.outbox) == 1
    link = confirmation_link(mail.outbox[0])

    response = sign_in(client, "sam@gmp.demo.example", "a-long-unusual-passphrase")
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    # Opening the link shows a confirm button (a mail scanner's GET must not confirm).
    assert "Confirm my email address" in client.get(link).content.decode()
    client.post(link)

    response = sign_in(client, "sam@gmp.demo.example", "a-long-unusual-passphrase")
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")
    assert client.get(reverse("courses:dashboard")).status_code == 200


def test_an_invalid_confirmation_link_explains_what_to_do(client):
    response = client.get("/accounts/confirm-email/not-a-real-key/")
    assert response.status_code == 200
    assert "This confirmation link has expired or is not valid." in response.content.decode()


# --- Sign in, sign out, password reset ----------------------------------------------------------


def verified_learner(email="alex@met.demo.example"):
    user = learner("met", user__email=email)
    user.emailaddress_set.create(email=email, verified=True, primary=True)
    return user


def test_sign_in_by_email_goes_to_my_learning(client):
    verified_learner()
    response = sign_in(client, "alex@met.demo.example")
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:dashboard")


def test_signing_in_returns_to_the_page_that_asked_for_it(client, module_tree):
    verified_learner()
    lesson_url = module_tree.lessons[1].url
    login_url = client.get(lesson_url)["Location"]

    response = client.post(
        login_url, {"login": "alex@met.demo.example", "password": PASSWORD, "next": lesson_url}
    )

    assert response["Location"] == lesson_url


def test_wrong_password_gives_a_clear_error(client):
    verified_learner()
    response = sign_in(client, "alex@met.demo.example", "not-the-password")
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )


def test_sign_out_is_a_post(client):
    client.force_login(verified_learner())

    response = client.get(reverse("account_logout"))
    assert response.status_code == 200  # a confirmation page; still signed in
    assert "_auth_user_id" in client.session

    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_by_email(client):
    verified_learner()
    client.post(reverse("account_reset_password"), {"email": "alex@met.demo.example"})
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", mail.outbox[0].body)
    response = client.get(link.group(1))
    assert response.status_code == 302  # allauth moves the key out of the URL
    form_url = response["Location"]
    new = "a-brand-new-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302

    assert sign_in(client, "alex@met.demo.example", new)["Location"] == reverse("courses:dashboard")


def test_password_reset_does_not_reveal_whether_an_account_exists(client):
    response = client.post(reverse("account_reset_password"), {"email": "nobody@met.demo.example"})
    assert response.status_code == 302
    assert response["Location"] == reverse("account_reset_password_done")


# --- Throttling ---------------------------------------------------------------------------------


def test_failed_sign_ins_lock_the_account_not_the_force_network(client, settings):
    """Five failures lock that account for five minutes; colleagues behind the same NAT
    address sign in normally."""
    verified_learner("target@met.demo.example")
    verified_learner("colleague@met.demo.example")
    nat = {"REMOTE_ADDR": "203.0.113.7"}

    for _ in range(5):
        response = sign_in(client, "target@met.demo.example", "guess", **nat)
        assert "not correct" in response.content.decode()

    # Even the right password is refused while the account is locked.
    locked = sign_in(client, "target@met.demo.example", **nat)
    assert locked.status_code == 200
    assert "Too many failed login attempts" in locked.content.decode()
    assert "_auth_user_id" not in client.session

    colleague = sign_in(client, "colleague@met.demo.example", **nat)
    assert colleague.status_code == 302
    assert colleague["Location"] == reverse("courses:dashboard")


def test_many_officers_mistyping_from_one_address_do_not_lock_each_other_out(client):
    """A shift change: twenty officers each mistype twice from the force's one address."""
    nat = {"REMOTE_ADDR": "203.0.113.8"}
    emails = [f"officer{i}@met.demo.example" for i in range(20)]
    for email in emails:
        verified_learner(email)
        for _ in range(2):
            sign_in(client, email, "typo", **nat)
    last = sign_in(client, emails[-1], **nat)
    assert last["Location"] == reverse("courses:dashboard")


# --- Session lifetime ---------------------------------------------------------------------------


def test_session_lifetimes_are_explicit(settings):
    assert settings.SESSION_COOKIE_AGE == 60 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60
    assert settings.SESSION_ABSOLUTE_SECONDS == 12 * 60 * 60
    assert settings.SESSION_ABSOLUTE_SECONDS > settings.SESSION_COOKIE_AGE


def test_activity_extends_the_idle_timeout_at_most_once_a_minute(client, settings):
    client.force_login(verified_learner())
    first = client.get(reverse("courses:dashboard"))
    assert first.cookies[settings.SESSION_COOKIE_NAME].value  # saved: expiry moved on
    assert client.session.get_expiry_age() == settings.SESSION_COOKIE_AGE

    again = client.get(reverse("courses:dashboard"))
    assert settings.SESSION_COOKIE_NAME not in again.cookies  # within the minute: no write

    session = client.session
    session[REFRESHED_AT] -= settings.SESSION_REFRESH_SECONDS  # a minute has passed
    session.save()
    later = client.get(reverse("courses:dashboard"))
    assert later.cookies[settings.SESSION_COOKIE_NAME].value  # saved again: expiry moved on


def test_signing_in_starts_the_absolute_clock(client):
    verified_learner()
    before = int(time.time())
    sign_in(client, "alex@met.demo.example")
    assert before <= client.session[SIGNED_IN_AT] <= int(time.time())


def test_a_session_older_than_the_absolute_lifetime_is_signed_out(client, settings):
    client.force_login(verified_learner())
    assert client.get(reverse("courses:dashboard")).status_code == 200

    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS - 1
    session.save()

    response = client.get(reverse("courses:dashboard"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "_auth_user_id" not in client.session


def test_a_session_within_the_absolute_lifetime_stays_signed_in(client, settings):
    client.force_login(verified_learner())
    client.get(reverse("courses:dashboard"))
    session = client.session
    session[SIGNED_IN_AT] = int(time.time()) - settings.SESSION_ABSOLUTE_SECONDS + 60
    session.save()
    assert client.get(reverse("courses:dashboard")).status_code == 200


def test_visitors_without_a_sign_in_get_no_session_from_the_lifetime_check(client, settings):
    response = client.get(reverse("courses:support"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies
    assert SIGNED_IN_AT not in client.session
