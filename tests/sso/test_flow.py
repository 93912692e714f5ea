"""The whole sign-in through a force's provider with Django's test client against real test
OpenID Providers (node oidc-provider): force A is the Met, force B Greater Manchester."""

from urllib.parse import parse_qs, urlencode, urljoin, urlsplit, urlunsplit

import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from django.contrib.auth import get_user_model

from courses import services
from courses.models import AuditAction, AuditEvent, ErasedEmail, ForceEmailDomain
from courses.privacy import email_hash
from tests.factories import force, learner

pytestmark = pytest.mark.django_db

ALICE = {
    "sub": "alice-sub",
    "email": "alice@met.sso.test",
    "email_verified": True,
    "name": "Alice Example",
    "given_name": "Alice",
    "family_name": "Example",
}


@pytest.fixture
def ops(oidc_providers):
    a, b = oidc_providers
    ForceEmailDomain.objects.create(force=force("met"), domain="met.sso.test")
    ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.sso.test")
    for op, code in ((a, "met"), (b, "gmp")):
        services.identity_provider_save(
            force=force(code),
            data={"issuer_url": op.issuer, "client_id": op.client_id, "role_claim": ""},
            secret=op.client_secret,
        )
        op.set_mode("ok")
    yield a, b
    for op in (a, b):
        op.set_mode("ok")


def through_op(url: str) -> str:
    """Follow the provider's redirects (it signs the next user in at once) back to us."""
    http = requests.Session()
    while not url.startswith("http://testserver"):
        response = http.get(url, allow_redirects=False, timeout=10)
        assert response.status_code in (302, 303), response.text[-1500:]
        url = urljoin(url, response.headers["location"])
    return url.removeprefix("http://testserver")


def start(client, code="met", tamper=None) -> str:
    response = client.post(f"/accounts/oidc/force-{code}/login/")
    assert response.status_code == 302
    url = response["Location"]
    return through_op(tamper(url) if tamper else url)


def sign_in(client, code="met", tamper=None):
    return client.get(start(client, code, tamper))


def refusals():
    return list(AuditEvent.objects.filter(action=AuditAction.SSO_REFUSED))


def choose_role(client, response, role="pcso"):
    assert response.status_code == 302 and response["Location"] == "/accounts/3rdparty/signup/"
    return client.post("/accounts/3rdparty/signup/", {"role": role, "email": "x@evil.example"})


def test_first_sign_in_creates_the_learner_in_the_providers_force(client, ops):
    a, _ = ops
    a.set_user(ALICE)
    login = client.post("/accounts/oidc/force-met/login/")
    query = parse_qs(urlsplit(login["Location"]).query)
    assert query["code_challenge_method"] == ["S256"] and query["nonce"][0]
    response = choose_role(client, client.get(through_op(login["Location"])))
    assert response.status_code == 302
    user = get_user_model().objects.get(email="alice@met.sso.test")
    assert (user.first_name, user.last_name) == ("Alice", "Example")
    assert user.learner_profile.force.code == "met" and user.learner_profile.role == "pcso"
    assert not user.is_staff and not user.has_usable_password()
    assert SocialAccount.objects.get(user=user).uid == "alice-sub"
    assert int(client.session["_auth_user_id"]) == user.pk
    event = AuditEvent.objects.get(action=AuditAction.SSO_SIGN_IN)
    assert (event.user_id, event.force_code) == (user.pk, "met")


def test_second_sign_in_matches_the_subject_even_with_a_new_email(client, ops):
    a, _ = ops
    a.set_user(ALICE)
    choose_role(client, sign_in(client))
    client.logout()
    a.set_user({**ALICE, "email": "alice.new@met.sso.test"})
    response = sign_in(client)
    assert response.status_code == 302 and response["Location"] != "/accounts/3rdparty/signup/"
    assert get_user_model().objects.filter(learner_profile__force__code="met").count() == 1
    assert int(client.session["_auth_user_id"]) == SocialAccount.objects.get().user_id


def test_an_existing_account_of_the_force_is_linked(client, ops):
    a, _ = ops
    user = learner("met", user__email="alice@met.sso.test")
    a.set_user(ALICE)
    response = sign_in(client)
    assert response.status_code == 302
    assert SocialAccount.objects.get(uid="alice-sub").user == user
    user.refresh_from_db()
    assert not user.has_usable_password()  # its address was never verified here


def test_an_account_of_another_force_is_refused(client, ops):
    a, _ = ops
    learner("gmp", user__email="alice@met.sso.test")
    a.set_user(ALICE)
    response = sign_in(client)
    assert response.status_code == 403 and b"another force" in response.content
    assert [e.force_code for e in refusals()] == ["met"]


def test_an_email_not_at_the_forces_domains_is_refused(client, ops):
    a, b = ops
    # Force B's provider vouching for a Met address signs nobody in.
    b.set_user({**ALICE, "sub": "b-sub"})
    response = sign_in(client, "gmp")
    assert response.status_code == 403
    assert b"email domains" in response.content
    assert get_user_model().objects.filter(email="alice@met.sso.test").count() == 0
    assert refusals()[0].force_code == "gmp" and "alice" not in refusals()[0].path


def test_a_callback_of_force_a_cannot_sign_in_through_force_b(client, ops):
    a, _ = ops
    a.set_user(ALICE)
    path = start(client, "met")
    response = client.get(path.replace("force-met", "force-gmp"))
    assert response.status_code == 401 and b"took too long" in response.content
    assert SocialAccount.objects.count() == 0


def test_an_erased_email_is_not_recreated(client, ops):
    a, _ = ops
    ErasedEmail.objects.create(email_hash=email_hash("alice@met.sso.test"))
    a.set_user(ALICE)
    response = sign_in(client)
    assert response.status_code == 403 and b"erased" in response.content
    assert not get_user_model().objects.filter(email="alice@met.sso.test").exists()


@pytest.mark.parametrize(
    ("mode", "words"),
    [
        ("wrong_aud", b"different service"),
        ("wrong_iss", b"different service"),
        ("expired", b"took too long"),
        ("bad_sig", b"could not verify"),
        ("unknown_kid", b"could not verify"),
        ("no_id_token", b"could not verify"),
    ],
)
def test_a_bad_id_token_is_refused(client, ops, mode, words):
    a, _ = ops
    a.set_user(ALICE)
    a.set_mode(mode)
    response = sign_in(client)
    assert response.status_code == 401 and words in response.content
    assert not get_user_model().objects.filter(email__endswith="sso.test").exists()
    assert [e.force_code for e in refusals()] == ["met"]
    assert "_auth_user_id" not in client.session


def test_a_replayed_state_is_refused(client, ops):
    a, _ = ops
    a.set_user(ALICE)
    path = start(client)
    assert client.get(path).status_code == 302
    client.logout()
    response = client.get(path)
    assert response.status_code == 401 and b"already been used" in response.content


def test_a_nonce_not_sent_by_this_session_is_refused(client, ops):
    a, _ = ops
    a.set_user(ALICE)

    def other_nonce(url):
        parts = urlsplit(url)
        query = {k: v[0] for k, v in parse_qs(parts.query).items()}
        query["nonce"] = "not-ours"
        return urlunsplit(parts._replace(query=urlencode(query)))

    response = sign_in(client, tamper=other_nonce)
    assert response.status_code == 401 and b"could not verify" in response.content


def test_query_parameters_cannot_change_the_request_to_the_provider(client, ops):
    response = client.post(
        "/accounts/oidc/force-met/login/?auth_params=redirect_uri%3Dhttp://evil.example/"
        "&scope=offline_access&process=connect&next=/courses/"
    )
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["redirect_uri"] == ["http://testserver/accounts/oidc/force-met/login/callback/"]
    assert set(query["scope"][0].split()) == {"openid", "profile", "email"}


def test_an_unknown_provider_is_not_found(client, ops):
    assert client.post("/accounts/oidc/force-nowhere/login/").status_code == 404
    assert client.get("/accounts/oidc/force-nowhere/login/callback/?state=x").status_code == 404


def test_a_role_claim_the_force_maps_skips_the_role_question(client, ops):
    a, _ = ops
    provider = force("met").identity_provider
    services.identity_provider_save(
        force=force("met"), data={"role_claim": "job", "role_map": {"PCSO": "pcso"}}
    )
    assert provider.pk == force("met").identity_provider.pk
    a.set_user({**ALICE, "job": "PCSO"})
    # The test OP puts only standard claims in the token: the role question is still asked.
    assert sign_in(client).status_code == 302


def test_password_sign_in_is_refused_where_the_force_turned_it_off(client, ops):
    user = learner("met", user__email="carol@met.sso.test")
    services.identity_provider_save(force=force("met"), data={"password_sign_in": False})
    response = client.post(
        "/accounts/login/", {"login": user.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 200 and b"Sign in with" in response.content
    assert "_auth_user_id" not in client.session
    other = learner("gmp", user__email="dan@gmp.sso.test")
    response = client.post(
        "/accounts/login/", {"login": other.email, "password": "correct-horse-battery"}
    )
    assert response.status_code == 302


def test_the_login_route_is_throttled_per_ip(client, ops, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}
    codes = [client.post("/accounts/oidc/force-met/login/").status_code for _ in range(3)]
    assert codes == [302, 302, 429]


def test_signing_out_offers_the_providers_sign_out(client, ops):
    a, _ = ops
    a.set_user(ALICE)
    choose_role(client, sign_in(client))
    response = client.post("/accounts/logout/")
    assert response.status_code == 302 and response["Location"] == "/accounts/signed-out/"
    page = client.get("/accounts/signed-out/")
    assert b"Sign out of" in page.content and b"id_token_hint=" in page.content
    assert b"/session/end?" in page.content
    assert b"Sign out of" not in client.get("/accounts/signed-out/").content
