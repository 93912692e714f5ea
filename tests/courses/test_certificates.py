"""Certificates: printable, only for their learner; public verification shows module and date."""

import pytest
from django.conf import settings
from django.urls import reverse

from courses.models import ModuleProgress
from tests.courses.journey import complete_module
from tests.factories import learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def completed(client, module_tree):
    """A learner who has completed the module; returns their module progress row."""
    user = learner("met", user__first_name="Robin", user__last_name="Achebe")
    client.force_login(user)
    complete_module(client, module_tree)
    return ModuleProgress.objects.get(learner=user)


def certificate_url(progress):
    return reverse("courses:certificate", args=[progress.module_id])


def test_certificate_shows_name_module_date_and_code(client, completed, module_tree):
    response = client.get(certificate_url(completed))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Robin Achebe" in page
    assert module_tree.module.title in page
    assert completed.completed_at.strftime("%-d %B %Y") in page
    assert completed.certificate_code in page
    assert reverse("courses:certificate_verify", args=[completed.certificate_code]) in page


def test_another_learner_cannot_open_someone_elses_certificate(client, completed):
    client.force_login(learner("met"))
    assert client.get(certificate_url(completed)).status_code == 404


def test_no_certificate_before_completion(client, module_tree):
    client.force_login(learner("met"))
    assert (
        client.get(reverse("courses:certificate", args=[module_tree.module.pk])).status_code == 404
    )


def test_verification_confirms_module_and_date_without_the_learner(client, completed, module_tree):
    client.logout()
    response = client.get(reverse("courses:certificate_verify", args=[completed.certificate_code]))

    page = response.content.decode()
    assert response.status_code == 200
    assert "This certificate is valid" in page
    assert module_tree.module.title in page
    assert completed.completed_at.strftime("%-d %B %Y") in page
    for private in ("Robin", "Achebe", completed.learner.email, "Metropolitan"):
        assert private not in page


@pytest.mark.parametrize("code", ["ABCD-EFGH-JKMN", "x" * 40, "nothing"])
def test_unknown_codes_are_404(client, code):
    assert client.get(reverse("courses:certificate_verify", args=[code])).status_code == 404


def test_the_lookup_form_accepts_a_typed_code(client, completed):
    typed = f"  {completed.certificate_code.lower()} "
    response = client.get(reverse("courses:certificate_lookup"), {"code": typed})
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "courses:certificate_verify", args=[completed.certificate_code]
    )


def test_the_lookup_form_explains_an_unknown_code(client, db):
    response = client.get(reverse("courses:certificate_lookup"), {"code": "ABCD-EFGH-JKMN"})
    assert response.status_code == 404
    assert "No certificate has this code" in response.content.decode()
    assert client.get(reverse("courses:certificate_lookup")).status_code == 200


# --- Codes typed however people type them -------------------------------------------------------


def typed_forms(code: str) -> list[str]:
    bare = code.replace("-", "")
    return [
        code.lower(),  # lower case
        bare,  # without hyphens
        bare.lower(),
        code.replace("-", " "),  # spaces for hyphens
        f"{bare[:4]} {bare[4:8]} {bare[8:]}".lower(),
        code.replace("-", "\u2013"),  # a word processor's en dash
        f"  {code}\t",
    ]


def test_the_lookup_accepts_a_code_typed_any_way(client, completed):
    for typed in typed_forms(completed.certificate_code):
        response = client.get(reverse("courses:certificate_lookup"), {"code": typed})
        assert response.status_code == 302, typed
        assert response["Location"] == reverse(
            "courses:certificate_verify", args=[completed.certificate_code]
        ), typed


def test_a_code_typed_into_the_address_goes_to_its_canonical_address(client, completed):
    code = completed.certificate_code
    typed = code.replace("-", "").lower()
    response = client.get(reverse("courses:certificate_verify", args=[typed]))
    assert response.status_code == 302
    assert response["Location"] == reverse("courses:certificate_verify", args=[code])


@pytest.mark.parametrize("typed", ["ABC", "ABCD-EFGH-JKMN-PQRS", "OOOO-IIII-1111", "<script>"])
def test_what_cannot_be_a_code_gets_the_forms_error_not_a_404(client, db, typed):
    response = client.get(reverse("courses:certificate_lookup"), {"code": typed})

    assert response.status_code == 400
    html = response.content.decode()
    assert "12 letters and numbers, like K7QD-3MXR-9TWA" in html
    assert "never use the letters I, L or O" in html
    # The GOV.UK pattern: a summary that links to the field, the field marked invalid.
    assert 'class="error-summary"' in html and 'href="#id_code"' in html
    assert 'aria-invalid="true"' in html
    assert "<title>Error: Check a certificate | DA Matters</title>" in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_an_unknown_code_of_the_right_shape_is_explained(client, db):
    response = client.get(reverse("courses:certificate_lookup"), {"code": "abcd efgh jkmn"})
    assert response.status_code == 404
    html = response.content.decode()
    assert "No certificate has this code" in html
    assert 'value="abcd efgh jkmn"' in html  # what they typed, to correct it


# --- Printing -----------------------------------------------------------------------------------


def test_the_print_button_is_hidden_until_javascript_shows_it(client, completed):
    html = client.get(certificate_url(completed)).content.decode()
    assert "data-print hidden>Print this certificate</button>" in html
    # A class that sets `display` must not override `hidden` (site.css).
    css = (settings.BASE_DIR / "static" / "css" / "site.css").read_text()
    assert "[hidden] { display: none !important; }" in css
