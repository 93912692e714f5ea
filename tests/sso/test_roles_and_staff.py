"""A role from a claim the force maps; training leads and editors signing in through their
force's provider with only this platform's permissions; a password reset link for a force that
has since turned password sign-in off. Django's test client against the real test OpenID
Providers (node oidc-provider), as tests/sso/test_flow.py."""

import re

import jwt
import pytest
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.exceptions import ValidationError

from courses import services
from courses.models import ForceEmailDomain
from tests.factories import UserFactory, force, training_lead
from tests.sso.test_flow import ALICE, choose_role, sign_in, through_op

pytestmark = pytest.mark.django_db

ROLE_MAP = {"PCSO": "pcso", "Police Constable": "response-officer", "Sergeant": "supervisor"}
GRANT_EVERYTHING = {
    "roles": ["admin", "Global Administrator"],
    "groups": ["Administrators", "Editors"],
    "is_staff": True,
}


@pytest.fixture
def ops(oidc_providers):
    a, b = oidc_providers
    ForceEmailDomain.objects.create(force=force("met"), domain="met.sso.test")
    ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.sso.test")
    for op, code in ((a, "met"), (b, "gmp")):
        services.identity_provider_save(
            force=force(code),
            data={"issuer_url": op.issuer, "client_id": op.client_id},
            secret=op.client_secret,
        )
    return a, b


def map_roles(claim="roles", role_map=None, code="met"):
    services.identity_provider_save(
        force=force(code), data={"role_claim": claim, "role_map": role_map or ROLE_MAP}
    )


def id_token_claims(op) -> dict:
    """What the provider really put in the ID token it sent (a claim the test sets must reach
    the app, or the test proves nothing)."""
    return jwt.decode(op.last()["token"]["id_token"], options={"verify_signature": False})


def new_user():
    return get_user_model().objects.get(email=ALICE["email"])


# --- 1. A role from a claim the force maps --------------------------------------------------


@pytest.mark.parametrize(
    ("claim", "value", "role"),
    [
        ("roles", ["PCSO"], "pcso"),  # Entra ID's app roles: a list
        ("roles", ["Sergeant", "Unmapped role"], "supervisor"),
        ("jobTitle", "Police Constable", "response-officer"),  # a string
    ],
)
def test_a_mapped_claim_sets_the_role_and_skips_the_question(client, ops, claim, value, role):
    a, _ = ops
    map_roles(claim)
    a.set_user({**ALICE, claim: value})
    response = sign_in(client)
    assert id_token_claims(a)[claim] == value
    assert response.status_code == 302 and response["Location"] != "/accounts/3rdparty/signup/"
    user = new_user()
    assert (user.learner_profile.force.code, user.learner_profile.role) == ("met", role)
    assert int(client.session["_auth_user_id"]) == user.pk


@pytest.mark.parametrize(
    ("claim", "extra"),
    [
        ("roles", {"roles": ["Detective"]}),  # not in the map
        ("roles", {}),  # no claim at all
        ("roles", {"roles": ["PCSO", "Sergeant"]}),  # two roles: the learner says which
        ("roles", {"roles": "not-a-list-or-known"}),
        ("jobTitle", {"jobTitle": ""}),
        ("jobTitle", {"jobTitle": {"PCSO": True}}),  # a claim of the wrong shape
    ],
)
def test_an_unmapped_or_missing_claim_falls_back_to_the_question(client, ops, claim, extra):
    a, _ = ops
    map_roles(claim)
    a.set_user({**ALICE, **extra})
    response = sign_in(client)
    assert not get_user_model().objects.filter(email=ALICE["email"]).exists()
    assert choose_role(client, response, role="call-handler").status_code == 302
    assert new_user().learner_profile.role == "call-handler"


def test_a_force_without_a_role_claim_asks_whatever_the_token_says(client, ops):
    a, _ = ops
    a.set_user({**ALICE, "roles": ["PCSO"]})
    response = sign_in(client)
    assert response["Location"] == "/accounts/3rdparty/signup/"


@pytest.mark.parametrize(
    ("data", "field", "words"),
    [
        ({"role_claim": "roles", "role_map": {"PCSO": "sheriff"}}, "role_map", "Not a role"),
        ({"role_claim": "roles", "role_map": {"Unknown": "not-given"}}, "role_map", "Not a role"),
        ({"role_claim": "roles", "role_map": ["pcso"]}, "role_map", "JSON object"),
        ({"role_claim": "roles", "role_map": {"PCSO": 1}}, "role_map", "JSON object"),
        ({"role_claim": "", "role_map": {"PCSO": "pcso"}}, "role_claim", "Name the claim"),
    ],
)
def test_a_role_map_to_no_role_cannot_be_saved(ops, data, field, words):
    with pytest.raises(ValidationError) as refused:
        services.identity_provider_save(force=force("met"), data=data)
    assert words in " ".join(refused.value.message_dict[field])
    provider = force("met").identity_provider
    provider.refresh_from_db()
    assert (provider.role_claim, provider.role_map) == ("", {})


def test_the_admin_form_refuses_a_role_map_to_no_role(admin_client, ops):
    provider = force("met").identity_provider
    response = admin_client.post(
        f"/admin/sign-in-providers/{provider.pk}/",
        {
            "enabled": "on",
            "issuer_url": provider.issuer_url,
            "client_id": provider.client_id,
            "password_sign_in": "on",
            "role_claim": "roles",
            "role_map": '{"PCSO": "sheriff"}',
        },
    )
    assert response.status_code == 400 and b"Not a role: sheriff" in response.content
    provider.refresh_from_db()
    assert provider.role_map == {}


# --- 2. Training leads and editors: permissions only from this platform ----------------------


def permissions(user) -> tuple:
    user = get_user_model().objects.get(pk=user.pk)  # no cached permissions
    return (
        user.is_staff,
        user.is_superuser,
        sorted(user.groups.values_list("name", flat=True)),
        sorted(user.get_all_permissions()),
    )


def sign_in_to_admin(client, code="met"):
    response = client.post(f"/accounts/oidc/force-{code}/login/", {"next": "/admin/"})
    assert response.status_code == 302
    return client.get(through_op(response["Location"]))


@pytest.mark.parametrize("claims", [{}, GRANT_EVERYTHING])
def test_a_training_lead_signs_in_with_exactly_their_permissions(client, ops, claims):
    a, _ = ops
    lead = training_lead("met", email="lead@met.sso.test", first_name="Lee", last_name="Lead")
    before = permissions(lead)
    a.set_user({**ALICE, "sub": "lead-sub", "email": lead.email, **claims})
    response = sign_in_to_admin(client)
    assert response.status_code == 302 and response["Location"] == "/admin/"
    assert SocialAccount.objects.get(uid="lead-sub").user == lead  # linked, not a new account
    assert int(client.session["_auth_user_id"]) == lead.pk
    assert client.get("/admin/").status_code == 200
    assert permissions(lead) == before
    assert not hasattr(get_user_model().objects.get(pk=lead.pk), "learner_profile")
    # The second time, by the subject.
    client.logout()
    assert sign_in_to_admin(client)["Location"] == "/admin/"
    assert int(client.session["_auth_user_id"]) == lead.pk and permissions(lead) == before


def test_an_editor_signs_in_with_the_editors_permissions_only(client, ops):
    a, _ = ops
    editor = UserFactory(email="ed@met.sso.test")
    editor.groups.add(Group.objects.get(name="Editors"))
    before = permissions(editor)
    a.set_user({**ALICE, "sub": "ed-sub", "email": editor.email, **GRANT_EVERYTHING})
    assert sign_in_to_admin(client)["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
    assert client.get("/admin/users/").status_code in (302, 403)  # an editor's, as before
    assert permissions(editor) == before


def test_a_lead_of_another_force_is_refused(client, ops):
    a, _ = ops
    lead = training_lead("gmp", email="lead@met.sso.test")
    a.set_user({**ALICE, "sub": "lead-sub", "email": lead.email})
    response = sign_in_to_admin(client)
    assert response.status_code == 403 and b"another force" in response.content
    assert not SocialAccount.objects.exists()


def test_claims_grant_a_new_learner_nothing(client, ops):
    a, _ = ops
    map_roles()
    a.set_user({**ALICE, **GRANT_EVERYTHING, "roles": ["admin", "PCSO"]})
    response = sign_in_to_admin(client)
    assert {"groups", "is_staff", "roles"} <= set(id_token_claims(a))
    user = new_user()
    assert user.learner_profile.role == "pcso"
    assert permissions(user) == (False, False, [], [])
    assert response.status_code == 302
    admin = client.get("/admin/")
    assert admin.status_code == 302 and admin["Location"].startswith("/admin/login/")
    assert client.get("/admin/login/").status_code == 403  # "not for you"


def test_the_staff_page_offers_the_forces_sign_in(client, ops):
    response = client.post("/admin/login/", {"login": "lead@met.sso.test", "continue": "1"})
    html = response.content.decode()
    assert 'action="/accounts/oidc/force-met/login/"' in html
    assert f"Sign in with {force('met').name}" in html
    assert 'name="password"' in html
    services.identity_provider_save(force=force("met"), data={"password_sign_in": False})
    html = client.post(
        "/admin/login/", {"login": "lead@met.sso.test", "continue": "1"}
    ).content.decode()
    assert 'action="/accounts/oidc/force-met/login/"' in html and 'name="password"' not in html


# --- 3. A password reset link from before the force turned password sign-in off -------------


def reset_link(client, email) -> str:
    client.post("/accounts/password/reset/", {"email": email})
    body = mail.outbox[-1].body
    link = re.search(r"https?://[^/\s]+(/accounts/password/reset/key/[^\s]+/)", body)
    response = client.get(link.group(1))
    assert response.status_code == 302  # allauth moves the key out of the URL
    return response["Location"]


@pytest.fixture
def officer(ops):
    user = UserFactory(email="carol@met.sso.test")
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def test_a_reset_link_sets_no_password_once_the_force_is_sso_only(client, officer):
    form_url = reset_link(client, officer.email)
    services.identity_provider_save(force=force("met"), data={"password_sign_in": False})
    page = client.get(form_url)
    assert page.status_code == 200
    assert b"Sign in with" in page.content and b'name="password1"' not in page.content
    new = "a-brand-new-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 200 and b"Sign in with" in response.content
    officer.refresh_from_db()
    assert officer.check_password("correct-horse-battery") and not officer.check_password(new)


def test_a_reset_link_for_another_address_of_an_sso_only_account_sets_none(client, officer):
    officer.email = "carol@example.org"
    officer.save()
    form_url = reset_link(client, officer.email)
    services.identity_provider_save(force=force("met"), data={"password_sign_in": False})
    new = "a-brand-new-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 200 and b"Sign in with" in response.content
    officer.refresh_from_db()
    assert not officer.check_password(new)


def test_a_reset_link_still_works_where_the_force_keeps_passwords(client, officer):
    form_url = reset_link(client, officer.email)
    new = "a-brand-new-passphrase"
    response = client.post(form_url, {"password1": new, "password2": new})
    assert response.status_code == 302
    officer.refresh_from_db()
    assert officer.check_password(new)
