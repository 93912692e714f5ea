"""Signing in through a force's own identity provider, in a real browser against two real
OpenID Providers (tests/oidc: the Met's and GMP's), each connected to its force in the app
server's database for this module only.

A first sign-in through the Met's provider creates the learner in the Met (the role chosen once,
as no claim carries it) and lands on My learning; a second, after signing out, finds the same
learner by the provider's subject although the email changed there. What must be refused is,
with a clear message and an `sso-refused` audit record naming the force and the path and
nothing else: an email at another force's domain, a callback carried over to the other force,
a replayed callback, and each spoilt ID token. An SSO-only force shows no password field.
axe: the sign-in page with the SSO button, the role step and the refusal page.
"""

import json
import re
import uuid
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll
from tests.oidc.provider import callback_url

FORCE_NAMES = {"met": "Metropolitan Police Service", "gmp": "Greater Manchester Police"}
CALLBACK = re.compile(r".*/accounts/oidc/force-(met|gmp)/login/callback/.*")

CONNECT = """
from courses.encryption import encrypt
from courses.models import Force, IdentityProvider
for code, issuer, client_id, secret in {rows!r}:
    IdentityProvider.objects.update_or_create(
        force=Force.objects.get(code=code),
        defaults=dict(enabled=True, issuer_url=issuer, client_id=client_id,
                      secret_encrypted=encrypt(secret), password_sign_in=True),
    )
"""
DISCONNECT = "from courses.models import IdentityProvider; IdentityProvider.objects.all().delete()"
PASSWORD_SIGN_IN = (
    "from courses.models import IdentityProvider; "
    "IdentityProvider.objects.filter(force__code={code!r}).update(password_sign_in={on!r})"
)
# The learners linked to a provider's subject: their id, force and email.
LINKED = """
import json
from allauth.socialaccount.models import SocialAccount
print(json.dumps([
    dict(user=a.user_id, force=a.user.learner_profile.force.code, email=a.user.email)
    for a in SocialAccount.objects.filter(provider={provider!r}, uid={uid!r}).select_related(
        "user__learner_profile__force")
]))
"""
AUDIT_AFTER = """
import json
from django.forms.models import model_to_dict
from courses.models import AuditEvent
print(json.dumps([model_to_dict(e) for e in AuditEvent.objects.filter(
    id__gt={last}, action__startswith="sso-").order_by("id")], default=str))
"""
LAST_AUDIT = (
    "from courses.models import AuditEvent as A; "
    "print(A.objects.order_by('-id').values_list('id', flat=True).first() or 0)"
)


@pytest.fixture(scope="module")
def connected(app_server, oidc_provider_servers):
    """The Met and GMP connected to their providers for this module; disconnected afterwards,
    so that the other browser tests meet the password-only sign-in they expect."""
    rows = [
        (op.force_code, op.issuer, op.client_id, op.client_secret) for op in oidc_provider_servers
    ]
    app_server.manage("shell", "-c", CONNECT.format(rows=rows))
    yield oidc_provider_servers
    app_server.manage("shell", "-c", DISCONNECT)


@pytest.fixture
def ops(connected, oidc_providers):
    return oidc_providers


def shell_json(app_server, script: str):
    return json.loads(app_server.manage("shell", "-c", script).strip().splitlines()[-1])


def last_audit_id(app_server) -> int:
    return int(app_server.manage("shell", "-c", LAST_AUDIT).strip().splitlines()[-1])


def audit_after(app_server, last: int) -> list[dict]:
    return shell_json(app_server, AUDIT_AFTER.format(last=last))


def person(force_code: str, **claims) -> dict:
    """Someone new at a force's provider, with an email at its demo domain."""
    tag = uuid.uuid4().hex[:8]
    return {
        "sub": f"{force_code}-{tag}",
        "email": f"sso-{tag}@{force_code}.demo.example",
        "email_verified": True,
        "name": f"Kit Ashdown {tag}",
        "given_name": "Kit",
        "family_name": f"Ashdown {tag}",
        **claims,
    }


def offer_sso(page, email: str, force_code: str):
    """The sign-in page: type the email; its domain picks the force, whose button appears."""
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    button = page.get_by_role("button", name=f"Sign in with {FORCE_NAMES[force_code]}")
    if not button.is_visible():
        page.get_by_role("button", name="Continue").click()
    button.wait_for()
    return button


def sign_in_through(page, email: str, force_code: str) -> None:
    """Press the force's button; the provider signs the person it was given in at once."""
    offer_sso(page, email, force_code).click()


def choose_role(page) -> None:
    page.get_by_label("Your role").select_option(index=1)
    page.get_by_role("button", name="Continue").click()


def sign_out(page) -> None:
    page.get_by_role("navigation", name="Account").get_by_role("button", name="Sign out").click()
    page.get_by_role("heading", name="You have signed out of DA Matters").wait_for()


def assert_signed_out(page) -> None:
    page.goto("/en-gb/my-learning/")
    assert urlsplit(page.url).path == "/accounts/login/"


def check(page, label: str, name: str) -> None:
    assert_accessible(page, label)
    assert no_horizontal_scroll(page), f"{label}: the page scrolls sideways"
    screenshot(page, name)


def assert_refused(page, app_server, before: int, force_code: str, screen: str = "") -> None:
    """A clear message, no session, and one audit record naming the force and the path only;
    the refusal page checked with axe and saved as `screen`, if named."""
    page.get_by_role("heading", name=re.compile("could not sign you in", re.I)).wait_for()
    assert page.get_by_text(re.compile("training team or IT service desk")).is_visible()
    if screen:
        check(page, "the refusal page", screen)
    assert "/my-learning/" not in page.url
    events = [e for e in audit_after(app_server, before) if e["action"] == "sso-refused"]
    assert len(events) == 1, events
    event = events[0]
    assert event["force_code"] == force_code
    assert event["path"].startswith(f"/accounts/oidc/force-{force_code}/")
    flat = json.dumps(event)
    assert "@" not in flat and "eyJ" not in flat, (
        f"The audit record holds an email or a token: {flat}"
    )
    assert_signed_out(page)


def test_first_sign_in_creates_the_learner_and_the_second_finds_them(
    context_factory, app_server, ops
):
    met = ops.met
    claims = person("met")
    met.set_user(claims)
    page = context_factory("desktop").new_page()
    offer_sso(page, claims["email"], "met")
    check(page, "sign-in page offering the Met's provider", "sso-sign-in-desktop")
    sign_in_through(page, claims["email"], "met")
    page.get_by_label("Your role").wait_for()
    check(page, "the role step", "sso-role-step-desktop")
    choose_role(page)
    page.wait_for_url("**/my-learning/")
    (linked,) = shell_json(app_server, LINKED.format(provider="force-met", uid=claims["sub"]))
    assert (linked["force"], linked["email"]) == ("met", claims["email"])
    auth = met.last()["auth"]
    assert auth["code_challenge_method"] == "S256"
    assert auth["nonce"]

    # Signing out ends the session here and offers the provider's own sign-out.
    sign_out(page)
    page.get_by_role("link", name=re.compile("^Sign out of ")).click()
    # Back at the site's root, as registered with the provider, then in the visitor's language.
    page.wait_for_url(f"{app_server.url}/en-gb/")
    logout = met.last()["logout"]
    assert logout["post_logout_redirect_uri"] == f"{app_server.url}/"
    assert logout["confirmed"]
    assert_signed_out(page)
    changed = {**claims, "email": f"renamed-{claims['email']}"}
    met.set_user(changed)
    sign_in_through(page, claims["email"], "met")
    page.wait_for_url("**/my-learning/")  # no role step the second time
    (again,) = shell_json(app_server, LINKED.format(provider="force-met", uid=claims["sub"]))
    assert again["user"] == linked["user"]


def test_a_person_at_gmps_provider_cannot_sign_into_the_met(context_factory, app_server, ops):
    # Someone at GMP's provider whose email is at the Met's domain.
    claims = person("gmp", email=f"sso-{uuid.uuid4().hex[:8]}@met.demo.example")
    ops.gmp.set_user(claims)
    page = context_factory("desktop").new_page()
    before = last_audit_id(app_server)
    sign_in_through(page, "someone@gmp.demo.example", "gmp")
    assert_refused(page, app_server, before, "gmp")
    assert shell_json(app_server, LINKED.format(provider="force-gmp", uid=claims["sub"])) == []


def test_a_met_callback_carried_to_gmp_is_refused(context_factory, app_server, ops):
    # The Met's provider shows the way back (code and state) instead of following it.
    ops.met.set_user(person("met"))
    ops.met.hold_callback()
    page = context_factory("desktop").new_page()
    sign_in_through(page, "someone@met.demo.example", "met")
    held = page.locator("#callback").get_attribute("href")
    assert CALLBACK.match(held), held
    before = last_audit_id(app_server)
    page.goto(f"{callback_url(app_server.url, 'gmp')}?{urlsplit(held).query}")
    assert_refused(page, app_server, before, "gmp")


def test_a_replayed_callback_is_refused(context_factory, app_server, ops):
    claims = person("met")
    ops.met.set_user(claims)
    page = context_factory("desktop").new_page()
    seen = []
    page.on("request", lambda request: CALLBACK.match(request.url) and seen.append(request.url))
    sign_in_through(page, claims["email"], "met")
    choose_role(page)
    page.wait_for_url("**/my-learning/")
    sign_out(page)
    before = last_audit_id(app_server)
    page.goto(seen[0])
    assert_refused(page, app_server, before, "met")


@pytest.mark.parametrize(
    "mode",
    [
        "wrong_aud",
        "wrong_iss",
        "expired",
        "bad_sig",
        "unknown_kid",
        "future_iat",
        "wrong_nonce",
        "no_id_token",
    ],
)
def test_a_spoilt_id_token_is_refused(context_factory, app_server, ops, mode):
    claims = person("met")
    ops.met.set_user(claims)
    ops.met.set_mode(mode)
    page = context_factory("desktop").new_page()
    before = last_audit_id(app_server)
    sign_in_through(page, claims["email"], "met")
    screen = "sso-refused-desktop" if mode == "bad_sig" else ""
    assert_refused(page, app_server, before, "met", screen)
    assert shell_json(app_server, LINKED.format(provider="force-met", uid=claims["sub"])) == []


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_an_sso_only_force_shows_no_password_field(context_factory, app_server, ops, width):
    app_server.manage("shell", "-c", PASSWORD_SIGN_IN.format(code="gmp", on=False))
    try:
        page = context_factory(width).new_page()
        offer_sso(page, "learner1@gmp.demo.example", "gmp")
        # Hidden as the domain is typed (sign-in.js); the page the server renders for the
        # force (after "Continue", without JavaScript) has no password field at all.
        assert page.get_by_label("Password").is_hidden()
        check(page, f"SSO-only sign-in ({width})", f"sso-only-sign-in-{width}")
    finally:
        app_server.manage("shell", "-c", PASSWORD_SIGN_IN.format(code="gmp", on=True))
