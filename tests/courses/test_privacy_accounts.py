"""Erasure and accounts: an erased address cannot register again, and a visitor trying is
answered as for any taken address; and hostile text in the registration and reflection forms
is handled, never a 500."""

import pytest
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from courses import privacy, services
from courses.models import LearnerProfile, Reflection
from tests.conftest import signup
from tests.factories import learner

pytestmark = pytest.mark.django_db
User = get_user_model()

EDGE_TEXT = {
    "nul": "Sam\x00Okafor",
    "rtl override": "\u202eSam",
    "emoji": "Sam \U0001f44d\U0001f3fd",
    "zero width": "S\u200bam",
    "combining": "Zoe\u0308",
    "very long": "S" * 5000,
}


@pytest.fixture(autouse=True)
def clean_rate_limits():
    cache.clear()  # allauth's rate-limit counters live in the cache


def test_an_erased_address_is_answered_as_any_taken_address(client, gmp_domain, mailoutbox):
    services.learner_erase(user=learner("gmp", user__email="sam.okafor@gmp.demo.example"))
    learner("gmp", user__email="in.use@gmp.demo.example")

    answers = []
    for email in ("Sam.Okafor@gmp.demo.example", "in.use@gmp.demo.example"):  # any case
        response = signup(Client(), email)
        answers.append((response.status_code, response["Location"]))
        page = Client().get(response["Location"]).content.decode()
        assert "erased" not in page
    # The same answer as for an address that has an account: "verification sent".
    assert answers[0] == answers[1] == (302, reverse("account_email_verification_sent"))
    assert not User.objects.filter(email__iexact="sam.okafor@gmp.demo.example").exists()
    # The mailbox is told why it cannot register; the visitor's screen never said so.
    erased_mail, taken_mail = mailoutbox
    assert erased_mail.to == ["sam.okafor@gmp.demo.example"]
    assert "erased at its owner's request" in erased_mail.body
    assert "erased" not in taken_mail.body


def test_an_erased_address_cannot_be_added_to_another_account(client, gmp_domain):
    services.learner_erase(user=learner("gmp", user__email="sam.okafor@gmp.demo.example"))
    colleague = learner("gmp", user__email="colleague@gmp.demo.example")
    colleague.emailaddress_set.create(email=colleague.email, verified=True, primary=True)
    client.force_login(colleague)
    response = client.post(
        reverse("account_email"), {"action_add": "", "email": "sam.okafor@gmp.demo.example"}
    )
    assert response.status_code == 200
    assert "belonged to an account that was erased" in response.content.decode()
    assert not colleague.emailaddress_set.filter(email__startswith="sam.").exists()


def test_other_addresses_still_register(client, gmp_domain):
    services.learner_erase(user=learner("gmp", user__email="someone@gmp.demo.example"))
    assert signup(client, "someone.else@gmp.demo.example").status_code == 302


def test_erased_addresses_survive_a_secret_key_rotation(settings, gmp_domain):
    services.learner_erase(user=learner("gmp", user__email="rotated@gmp.demo.example"))
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-for-this-test"  # noqa: S105
    assert privacy.email_is_erased("rotated@gmp.demo.example")


@pytest.mark.parametrize("case", list(EDGE_TEXT))
@pytest.mark.parametrize("field", ["first_name", "last_name", "staff_number"])
def test_edge_text_in_registration_is_accepted_or_refused_never_a_500(
    client, gmp_domain, field, case
):
    response = signup(client, "edge@gmp.demo.example", **{field: EDGE_TEXT[case]})
    assert response.status_code in (200, 302)
    if response.status_code == 302:
        user = User.objects.get(email="edge@gmp.demo.example")
        stored = (
            LearnerProfile.objects.get(user=user).staff_number
            if field == "staff_number"
            else getattr(user, field)
        )
        assert stored == EDGE_TEXT[case]
    else:
        assert "errorlist" in response.content.decode() or "error" in response.content.decode()
        assert not User.objects.filter(email="edge@gmp.demo.example").exists()
    if case in ("nul", "very long"):
        assert response.status_code == 200  # refused with a field error


@pytest.mark.parametrize("case", list(EDGE_TEXT))
def test_edge_text_in_the_email_field(client, gmp_domain, case):
    response = signup(client, EDGE_TEXT[case] + "@gmp.demo.example")
    assert response.status_code in (200, 302)


@pytest.mark.parametrize("case", list(EDGE_TEXT))
def test_edge_text_in_a_reflection(client, module_tree, case):
    client.force_login(learner("met"))
    text = EDGE_TEXT[case]
    response = client.post(
        reverse("courses:lesson_reflect", args=[module_tree.lessons[-1].pk]),
        {"block_id": module_tree.reflection_block_id, "text": text},
    )
    if case == "nul":
        assert response.status_code == 400
        assert not Reflection.objects.exists()
    else:
        assert response.status_code == 302
        assert Reflection.objects.get().text == text


@pytest.mark.parametrize("case", list(EDGE_TEXT))
def test_edge_text_as_a_sign_in(client, case):
    response = client.post(
        reverse("account_login"), {"login": EDGE_TEXT[case], "password": EDGE_TEXT[case]}
    )
    assert response.status_code == 200
