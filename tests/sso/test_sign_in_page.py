"""The email-first sign-in pages (courses.sign_in_views.EmailFirstMixin) with forces' own
sign-in: the address's domain decides between "Sign in with <force>" and the password, a force
that turned passwords off never gets a password field, the chooser, `next` kept, the CSP
naming the providers, and no account enumeration."""

import re

import pytest
from django.core.cache import cache
from django.urls import reverse

from courses.models import ForceEmailDomain
from courses.services.sso import identity_provider_save
from tests.factories import force, learner

pytestmark = pytest.mark.django_db
LOGIN = reverse("account_login")
STAFF = "/admin/login/"
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' test password)
GMP_ISSUER = "https://login.microsoftonline.com/gmp-tenant/v2.0"


@pytest.fixture(autouse=True)
def clean_rate_limits():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def gmp_sso(db):
    """GMP signs its people in through its provider; passwords stay allowed."""
    ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.demo.example")
    return identity_provider_save(
        force=force("gmp"), data={"issuer_url": GMP_ISSUER, "client_id": "gmp-client"}, secret="s"
    )


@pytest.fixture
def wmp_sso_only(db):
    """West Midlands signs its people in only through its provider."""
    ForceEmailDomain.objects.create(force=force("west-midlands"), domain="wmp.demo.example")
    return identity_provider_save(
        force=force("west-midlands"),
        data={
            "issuer_url": "http://127.0.0.2:4012",
            "client_id": "wmp-client",
            "display_name": "West Midlands Police account",
            "password_sign_in": False,
        },
        secret="s",
    )


def verified(user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def page(response) -> str:
    return response.content.decode()


def continue_with(client, email, url=LOGIN, **extra):
    return client.post(url, {"login": email, "continue": "1", **extra})


def sso_forms(html: str) -> list[str]:
    """The action of each visible "Sign in with" form outside the chooser."""
    html = html.split('<details class="sso-chooser">')[0]
    return re.findall(r'<form method="post" action="([^"]+)" data-sso-form>', html)


def test_the_first_step_asks_only_for_the_email(client, gmp_sso):
    html = page(client.get(LOGIN))
    assert 'name="login"' in html
    assert 'name="continue"' in html
    # The password is there for sign-in.js to show; hidden until then.
    assert re.search(r"<div data-sign-in-password hidden>", html)
    assert sso_forms(html) == []


def test_continue_with_a_force_domain_offers_the_force_sign_in(client, gmp_sso):
    response = continue_with(client, "sam@gmp.demo.example")
    html = page(response)
    assert response.status_code == 200
    assert sso_forms(html) == ["/accounts/oidc/force-gmp/login/"]
    assert "Sign in with Greater Manchester Police</button>" in html
    assert 'value="sam@gmp.demo.example"' in html
    # GMP keeps password sign-in: the field is shown, not hidden.
    assert "<div data-sign-in-password>" in html and 'name="password"' in html


def test_a_force_without_passwords_never_gets_a_password_field(client, wmp_sso_only):
    html = page(continue_with(client, "sam@wmp.demo.example"))
    assert sso_forms(html) == ["/accounts/oidc/force-west-midlands/login/"]
    assert "Sign in with West Midlands Police account</button>" in html
    assert 'name="password"' not in html


def test_a_password_attempt_for_a_force_without_passwords_comes_back_without_one(
    client, wmp_sso_only
):
    # Refusing the password itself is the account adapter's (courses.adapters); whatever the
    # reason the attempt fails, the page that comes back offers the force's sign-in only.
    for url in (LOGIN, STAFF):
        response = client.post(url, {"login": "nobody@wmp.demo.example", "password": "guess"})
        html = page(response)
        assert response.status_code == 200
        assert sso_forms(html) == ["/accounts/oidc/force-west-midlands/login/"]
        assert 'name="password"' not in html
        assert "_auth_user_id" not in client.session


def test_password_sign_in_is_unchanged_for_forces_without_their_own(client, gmp_sso):
    verified(learner("met", user__email="alex@met.demo.example"))
    html = page(continue_with(client, "alex@met.demo.example"))
    assert sso_forms(html) == []
    assert "<div data-sign-in-password>" in html
    response = client.post(LOGIN, {"login": "alex@met.demo.example", "password": PASSWORD})
    assert response["Location"] == reverse("courses:dashboard")


def test_a_force_that_keeps_passwords_still_signs_in_with_one(client, gmp_sso):
    verified(learner("gmp", user__email="sam@gmp.demo.example"))
    response = client.post(LOGIN, {"login": "sam@gmp.demo.example", "password": PASSWORD})
    assert response["Location"] == reverse("courses:dashboard")


def test_continue_says_nothing_about_whether_an_account_exists(client, gmp_sso):
    learner("gmp", user__email="known@gmp.demo.example")
    for domain in ("gmp.demo.example", "met.demo.example"):
        known = continue_with(client, f"known@{domain}")
        unknown = continue_with(client, f"nobody@{domain}")
        assert known.status_code == unknown.status_code == 200
        strip = lambda html: re.sub(r'value="[^"]*"', "", html)  # noqa: E731 (tokens, address)
        assert strip(page(known)) == strip(page(unknown))


def test_the_chooser_lists_every_force_with_its_own_sign_in(client, gmp_sso, wmp_sso_only):
    html = page(client.get(LOGIN + "?next=/en-gb/my-learning/"))
    chooser = html.split('<details class="sso-chooser">')[1].split("</details>")[0]
    assert re.findall(r'action="([^"]+)"', chooser) == [
        "/accounts/oidc/force-gmp/login/",
        "/accounts/oidc/force-west-midlands/login/",
    ]
    assert chooser.count('name="csrfmiddlewaretoken"') == 2
    assert chooser.count('name="next" value="/en-gb/my-learning/"') == 2


def test_a_disabled_provider_is_not_offered(client, gmp_sso):
    gmp_sso.enabled = False
    gmp_sso.save()
    html = page(continue_with(client, "sam@gmp.demo.example"))
    assert sso_forms(html) == [] and "sso-chooser" not in html
    assert "<div data-sign-in-password>" in html


def test_next_is_kept_through_continue(client, gmp_sso):
    html = page(continue_with(client, "sam@gmp.demo.example", next="/en-gb/my-learning/"))
    form = html.split("data-sso-form>")[1].split("</form>")[0]
    assert 'name="next" value="/en-gb/my-learning/"' in form


def test_the_page_gives_sign_in_js_the_forces_domains(client, gmp_sso, wmp_sso_only):
    html = page(client.get(LOGIN))
    data = re.search(r'<script id="sso-domains" type="application/json">(.*?)</script>', html)
    assert '"gmp.demo.example": {"action": "/accounts/oidc/force-gmp/login/"' in data.group(1)
    assert '"password": false' in data.group(1)
    assert 'src="/static/js/sign-in.js"' in html


def test_the_csp_lets_the_forms_lead_to_the_providers(client, gmp_sso, wmp_sso_only):
    for url in (LOGIN, STAFF):
        policy = client.get(url)["Content-Security-Policy"]
        form_action = re.search(r"form-action ([^;]+)", policy).group(1).split()
        assert form_action == [
            "'self'",
            "http://127.0.0.2:4012",
            "https://login.microsoftonline.com",
        ]


def test_without_providers_the_csp_is_the_sites(client):
    policy = client.get(LOGIN)["Content-Security-Policy"]
    assert re.search(r"form-action ([^;]+)", policy).group(1) == "'self'"


def test_the_staff_page_offers_a_training_lead_their_force_sign_in(client, gmp_sso):
    html = page(continue_with(client, "lead@gmp.demo.example", url=STAFF))
    assert sso_forms(html) == ["/accounts/oidc/force-gmp/login/"]
    assert 'name="password"' in html


def test_a_wrong_password_shows_the_password_step_with_the_error(client, gmp_sso):
    learner("met", user__email="alex@met.demo.example")
    response = client.post(LOGIN, {"login": "alex@met.demo.example", "password": "wrong"})
    html = page(response)
    assert "error-summary" in html
    assert "<div data-sign-in-password>" in html and 'name="continue"' not in html
