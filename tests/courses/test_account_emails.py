"""Account emails come from the configured sender, in the service's name (subject and body),
never the host the request came to; people are named by the name they registered with."""

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse

from tests.conftest import signup
from tests.factories import learner

pytestmark = pytest.mark.django_db

HOST = "127.0.0.1:8000"  # what a newcomer's `make run` serves; it used to name the site
SENDER = "DA Matters training <training@training.example.org>"


@pytest.fixture(autouse=True)
def sender(settings, client):
    cache.clear()  # allauth's rate-limit counters
    settings.DEFAULT_FROM_EMAIL = SENDER
    client.defaults["HTTP_HOST"] = HOST


def only_in_links(body: str) -> None:
    """The host appears in the links the email must carry, and nowhere else."""
    for line in body.splitlines():
        if HOST in line:
            assert line.strip().startswith(f"http://{HOST}/"), line
    assert "example.com" not in body
    assert "Hello from" not in body


def test_the_confirmation_email_is_from_the_service_to_the_named_officer(client, gmp_domain):
    signup(client, "sam.okafor@gmp.demo.example")

    (message,) = mail.outbox
    assert message.from_email == SENDER
    assert message.to == ["sam.okafor@gmp.demo.example"]
    assert message.subject == "DA Matters: Confirm your email address"
    assert message.body.startswith("Hello Sam Okafor,\n")
    assert "registered for DA Matters with this email address" in message.body
    assert f"http://{HOST}/accounts/confirm-email/" in message.body
    assert message.body.rstrip().endswith("DA Matters: domestic abuse training for policing")
    assert "sam.okafor," not in message.body  # not the part of the address before the @
    only_in_links(message.body)


def test_the_password_reset_email_names_the_service_and_the_person(client):
    user = learner("met", user__email="alex.smith@met.demo.example")
    user.first_name, user.last_name = "Alex", "Smith"
    user.save()
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    client.post(reverse("account_reset_password"), {"email": user.email})

    (message,) = mail.outbox
    assert message.from_email == SENDER
    assert message.subject == "DA Matters: Reset your password"
    assert message.body.startswith("Hello Alex Smith,\n")
    assert "reset the password of your DA Matters account" in message.body
    assert f"http://{HOST}/accounts/password/reset/key/" in message.body
    assert "username" not in message.body
    only_in_links(message.body)


def test_a_reset_for_an_unknown_address_says_how_to_register(client):
    client.post(reverse("account_reset_password"), {"email": "nobody@met.demo.example"})

    (message,) = mail.outbox
    assert message.subject == "DA Matters: No account for this email address"
    assert "register with your force email address" in message.body
    assert f"http://{HOST}/accounts/signup/" in message.body
    only_in_links(message.body)


def test_registering_a_taken_address_mails_its_owner_in_the_services_name(client, gmp_domain):
    owner = learner("gmp", user__email="sam.okafor@gmp.demo.example")
    owner.emailaddress_set.create(email=owner.email, verified=True, primary=True)

    signup(client, "sam.okafor@gmp.demo.example")

    (message,) = mail.outbox
    assert message.subject == "DA Matters: You already have an account"
    assert "tried to register for DA Matters" in message.body
    only_in_links(message.body)


# --- Greeting -----------------------------------------------------------------------------------


def test_signing_in_greets_the_officer_by_name_not_by_their_address(client):
    user = learner("met", user__email="j.bloggs42@met.demo.example", user__username="j.bloggs42")
    user.first_name, user.last_name = "Jo", "Bloggs"
    user.save()
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct-horse-battery"},
        follow=True,
    )

    html = response.content.decode()
    assert "Hello Jo Bloggs: you are signed in." in html
    assert "j.bloggs42" not in html
