"""The administrators' "Sign-in providers" screens (courses.sso_admin): who may see them, the
listing with linked accounts, the write-only client secret, validation, the audit of every
save, and "Check provider" against a real discovery document and keys on loopback."""

import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth.models import Group
from django.urls import reverse

from courses.encryption import decrypt
from courses.models import AuditAction, AuditEvent, ForceEmailDomain, IdentityProvider
from courses.services.sso import identity_provider_save
from tests.factories import UserFactory, force, learner, training_lead
from tests.sso.discovery import DiscoveryServer

pytestmark = pytest.mark.django_db

INDEX = reverse("courses_sso_providers")
ADD = reverse("courses_sso_provider_add")
SECRET = "client-secret-of-gmp-0123456789"  # noqa: S105
ENTRA = "https://login.microsoftonline.com/0c5d6f1e-1111-4a2b-9c3d-0123456789ab/v2.0"


@pytest.fixture
def admin_user():
    return UserFactory(is_superuser=True, is_staff=True)


@pytest.fixture
def admin_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def gmp(db):
    ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.demo.example")
    return force("gmp")


@pytest.fixture
def discovery():
    with DiscoveryServer() as server:
        yield server


def form_data(gmp=None, **overrides) -> dict:
    data = {
        "force": gmp.pk if gmp else None,
        "enabled": "on",
        "display_name": "",
        "issuer_url": ENTRA,
        "client_id": "6731de76-14a6-49ae-97bc-6eba6914391e",
        "secret": SECRET,
        "secret_env": "",
        "password_sign_in": "on",
        "role_claim": "",
        "role_map": "",
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def connect(gmp, **fields) -> IdentityProvider:
    values = {"issuer_url": ENTRA, "client_id": "client-gmp", **fields}
    return identity_provider_save(force=gmp, data=values, secret=SECRET)


def edit_url(provider) -> str:
    return reverse("courses_sso_provider_edit", args=[provider.pk])


def check_url(provider) -> str:
    return reverse("courses_sso_provider_check", args=[provider.pk])


# --- Who may see them ---------------------------------------------------------------------------


def test_only_administrators_reach_the_screens(client, gmp):
    provider = connect(gmp)
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    for user in (editor, training_lead("gmp"), learner("gmp")):
        client.force_login(user)
        for url in (INDEX, ADD, edit_url(provider)):
            response = client.get(url)
            # Wagtail answers a refusal with a redirect home, or to sign-in without admin access.
            assert response.status_code in (302, 403), url
            assert response.get("Location", "/admin/").startswith(("/admin/", "/admin/login/"))
        assert client.post(check_url(provider)).status_code in (302, 403)
        assert client.post(ADD, form_data(force("met"))).status_code in (302, 403)
    assert IdentityProvider.objects.count() == 1


def test_the_settings_menu_offers_it_to_administrators_only(admin_client, client):
    assert "Sign-in providers" in admin_client.get("/admin/").content.decode()
    editor = UserFactory(is_staff=True)
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    assert "Sign-in providers" not in client.get("/admin/").content.decode()


# --- Listing ------------------------------------------------------------------------------------


def test_the_listing_shows_each_provider_with_its_linked_accounts(admin_client, gmp):
    connect(gmp, password_sign_in=False)
    for number in range(2):
        SocialAccount.objects.create(user=learner("gmp"), provider="force-gmp", uid=f"s{number}")
    SocialAccount.objects.create(user=learner("met"), provider="force-met", uid="other")
    page = admin_client.get(INDEX).content.decode()
    assert "Greater Manchester" in page
    assert ENTRA in page
    assert "Turned off" in page
    assert "<td>2</td>" in page


# --- Connecting and changing --------------------------------------------------------------------


def test_connecting_a_force_stores_the_secret_encrypted_and_audits_the_save(
    admin_client, admin_user, gmp
):
    response = admin_client.post(ADD, form_data(gmp))
    provider = IdentityProvider.objects.get(force=gmp)
    assert response["Location"] == edit_url(provider)
    assert provider.secret_encrypted and SECRET not in provider.secret_encrypted
    assert decrypt(provider.secret_encrypted) == SECRET
    assert provider.updated_by == admin_user
    event = AuditEvent.objects.get(action=AuditAction.IDENTITY_PROVIDER_SAVED)
    assert (event.user_id, event.force_code, event.path) == (admin_user.pk, "gmp", ADD)


def test_the_secret_is_never_shown_again_and_blank_keeps_it(admin_client, gmp):
    provider = connect(gmp)
    page = admin_client.get(edit_url(provider)).content.decode()
    assert SECRET not in page and provider.secret_encrypted not in page
    assert "Leave blank to keep the saved secret" in page
    response = admin_client.post(edit_url(provider), form_data(secret="", client_id="new-id"))
    assert response.status_code == 302
    provider.refresh_from_db()
    assert (provider.client_id, decrypt(provider.secret_encrypted)) == ("new-id", SECRET)
    # Not even back into a form with errors.
    page = admin_client.post(ADD, form_data(force("met"), issuer_url="ftp://x")).content.decode()
    assert SECRET not in page


def test_naming_an_environment_variable_removes_the_stored_secret(admin_client, gmp):
    provider = connect(gmp)
    admin_client.post(edit_url(provider), form_data(secret="", secret_env="GMP_OIDC_SECRET"))
    provider.refresh_from_db()
    assert (provider.secret_env, provider.secret_encrypted) == ("GMP_OIDC_SECRET", "")


def test_the_edit_page_shows_the_redirect_uri_to_register(admin_client, gmp, settings):
    settings.WAGTAILADMIN_BASE_URL = "https://learn.example.org"
    page = admin_client.get(edit_url(connect(gmp))).content.decode()
    assert 'value="https://learn.example.org/accounts/oidc/force-gmp/login/callback/"' in page
    assert "readonly" in page


def test_a_pasted_discovery_address_is_saved_as_the_issuer(admin_client, gmp):
    admin_client.post(ADD, form_data(gmp, issuer_url=f"{ENTRA}/.well-known/openid-configuration"))
    assert IdentityProvider.objects.get(force=gmp).issuer_url == ENTRA


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"issuer_url": "http://login.example.org/tenant"}, "Use an https:// address"),
        ({"issuer_url": "https://user:pw@login.example.org/"}, "without a user name"),
        ({"issuer_url": "https://login.example.org/?tenant=1"}, "without a user name"),
        ({"issuer_url": ""}, "Enter the provider&#x27;s issuer URL"),
        ({"client_id": ""}, "Enter the client ID"),
        ({"secret": ""}, "Enter the client secret, or name the environment variable"),
        ({"secret_env": "GMP_SECRET"}, "not both"),
        ({"secret": "", "secret_env": "not a name"}, "nvironment variable"),
        ({"role_map": "{not json"}, "Enter the role map as JSON"),
        ({"role_map": '["pcso"]'}, "JSON object"),
        ({"role_claim": "jobRole", "role_map": '{"PCSO": "sheriff"}'}, "Not a role: sheriff"),
        ({"role_map": '{"PCSO": "pcso"}'}, "Name the claim"),
    ],
)
def test_bad_settings_are_refused_with_a_clear_message(admin_client, gmp, overrides, message):
    response = admin_client.post(ADD, form_data(gmp, **overrides))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not IdentityProvider.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.IDENTITY_PROVIDER_SAVED).exists()


def test_plain_http_is_allowed_for_loopback_only(admin_client, gmp):
    response = admin_client.post(ADD, form_data(gmp, issuer_url="http://127.0.0.2:4012"))
    assert response.status_code == 302
    assert IdentityProvider.objects.get(force=gmp).issuer_url == "http://127.0.0.2:4012"


def test_a_force_without_email_domains_cannot_be_connected(admin_client):
    response = admin_client.post(ADD, form_data(force("met")))
    assert response.status_code == 400
    assert "has no email domains" in response.content.decode()


def test_a_role_map_is_saved_with_its_claim(admin_client, gmp):
    admin_client.post(ADD, form_data(gmp, role_claim="jobRole", role_map='{"PCSO": "pcso"}'))
    provider = IdentityProvider.objects.get(force=gmp)
    assert (provider.role_claim, provider.role_map) == ("jobRole", {"PCSO": "pcso"})


def test_the_add_form_offers_only_forces_without_a_provider(admin_client, gmp):
    connect(gmp)
    page = admin_client.get(ADD).content.decode()
    assert f'value="{gmp.pk}"' not in page
    assert f'value="{force("met").pk}"' in page


# --- Check provider -----------------------------------------------------------------------------


def check(admin_client, provider):
    response = admin_client.post(check_url(provider))
    assert response.status_code == 200
    return response.content.decode()


def test_check_provider_reports_the_issuer_and_endpoints(admin_client, gmp, discovery):
    page = check(admin_client, connect(gmp, issuer_url=discovery.issuer))
    assert "answers as this platform needs" in page
    for value in (discovery.issuer, f"{discovery.issuer}/token", f"{discovery.issuer}/jwks"):
        assert value in page
    assert "Signing keys" in page


def test_check_provider_reports_an_issuer_that_does_not_match(admin_client, gmp, discovery):
    discovery.document["issuer"] = "https://someone-else.example"
    page = check(admin_client, connect(gmp, issuer_url=discovery.issuer))
    assert "cannot sign people in" in page
    assert "calls itself" in page


@pytest.mark.parametrize(
    ("script", "message"),
    [
        (lambda s: s.status.update({"/.well-known/openid-configuration": 404}), "answered 404"),
        (lambda s: s.raw.update({"/.well-known/openid-configuration": b"<html>"}), "not JSON"),
        (lambda s: s.document.pop("jwks_uri"), "has no jwks_uri"),
        (lambda s: s.document.update(code_challenge_methods_supported=["plain"]), "PKCE"),
        (lambda s: s.document.update(id_token_signing_alg_values_supported=["HS256"]), "ES256"),
        (lambda s: s.jwks.update(keys=[]), "no RSA or EC signing key"),
        (lambda s: s.status.update({"/jwks": 500}), "answered 500"),
        (
            lambda s: s.document.update(authorization_endpoint="https://elsewhere.example/auth"),
            "not on the issuer",
        ),
    ],
)
def test_check_provider_explains_what_is_wrong(admin_client, gmp, discovery, script, message):
    script(discovery)
    page = check(admin_client, connect(gmp, issuer_url=discovery.issuer))
    assert "cannot sign people in" in page
    assert message in page


def test_check_provider_explains_an_unreachable_provider(admin_client, gmp):
    with DiscoveryServer() as gone:
        issuer = gone.issuer
    page = check(admin_client, connect(gmp, issuer_url=issuer))
    assert "Could not reach" in page


def test_check_provider_is_a_post(admin_client, gmp):
    assert admin_client.get(check_url(connect(gmp))).status_code == 405
