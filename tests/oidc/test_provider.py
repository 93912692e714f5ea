"""The test OpenID Provider itself, walked as a relying party would (requests, and the ID
token checked here with `cryptography` alone, independently of the code under test): discovery,
authorization code with PKCE, the token, and each spoilt ID token failing the check it is meant
to fail. The sign-in tests rely on these faults being the real ones."""

import base64
import hashlib
import json
import re
import secrets
import time
from urllib.parse import parse_qs, urlencode, urljoin, urlparse

import pytest
import requests
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.padding import PKCS1v15
from cryptography.hazmat.primitives.asymmetric.rsa import RSAPublicNumbers
from cryptography.hazmat.primitives.hashes import SHA256

from tests.oidc.provider import OpenIdProvider, callback_url


def authorize(op: OpenIdProvider, session: requests.Session, **extra) -> dict:
    """Send the browser's authorization request and follow the provider's redirects to the
    app's callback; return the callback's query, with the PKCE verifier sent."""
    verifier = secrets.token_urlsafe(48)
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest())
    conf = op.discovery()
    params = {
        "client_id": op.client_id,
        "redirect_uri": op.redirect_uris[0],
        "response_type": "code",
        "scope": "openid email profile",
        "state": secrets.token_urlsafe(12),
        "nonce": secrets.token_urlsafe(12),
        "code_challenge": challenge.rstrip(b"=").decode(),
        "code_challenge_method": "S256",
        **extra,
    }
    url = f"{conf['authorization_endpoint']}?{urlencode(params)}"
    response = session.get(url, allow_redirects=False, timeout=10)
    for _ in range(10):
        if response.status_code == 200:
            # The provider's self-submitting form (ending its session for the one before,
            # when another person signs in): what the browser's script would post.
            action = re.search(r'<form method="post" action="([^"]+)"', response.text)
            assert action, response.text[:500]
            fields = dict(
                re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"/>', response.text)
            )
            response = session.post(action.group(1), data=fields, allow_redirects=False, timeout=10)
            continue
        assert response.status_code in (302, 303), response.text[:500]
        url = urljoin(url, response.headers["location"])
        if url.startswith(op.redirect_uris[0]):
            query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
            return {**query, "sent_state": params["state"], "nonce": params["nonce"]} | {
                "code_verifier": verifier
            }
        response = session.get(url, allow_redirects=False, timeout=10)
    raise AssertionError(f"No redirect to the callback; last: {url}")


def token(op: OpenIdProvider, callback: dict) -> requests.Response:
    return requests.post(
        op.discovery()["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": callback["code"],
            "redirect_uri": op.redirect_uris[0],
            "client_id": op.client_id,
            "client_secret": op.client_secret,
            "code_verifier": callback["code_verifier"],
        },
        timeout=10,
    )


class Refused(Exception):
    """An ID token a careful relying party refuses; `reason` says which check failed."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def unb64(part: str) -> bytes:
    return base64.urlsafe_b64decode(part + "=" * (-len(part) % 4))


def strict_claims(op: OpenIdProvider, id_token: str) -> dict:
    """The checks a careful relying party makes: RS256 only, a key the JWKS publishes, the
    signature, the issuer, the audience, expiry and issue time (no leeway)."""
    conf = op.discovery()
    header_part, payload_part, signature_part = id_token.split(".")
    header, claims = json.loads(unb64(header_part)), json.loads(unb64(payload_part))
    if header.get("alg") != "RS256":
        raise Refused("algorithm")
    keys = {key["kid"]: key for key in requests.get(conf["jwks_uri"], timeout=10).json()["keys"]}
    if header.get("kid") not in keys:
        raise Refused("kid")
    jwk = keys[header["kid"]]
    public_key = RSAPublicNumbers(
        int.from_bytes(unb64(jwk["e"]), "big"), int.from_bytes(unb64(jwk["n"]), "big")
    ).public_key()
    try:
        public_key.verify(
            unb64(signature_part), f"{header_part}.{payload_part}".encode(), PKCS1v15(), SHA256()
        )
    except InvalidSignature:
        raise Refused("signature") from None
    now = time.time()
    if claims.get("iss") != conf["issuer"]:
        raise Refused("issuer")
    audience = claims.get("aud")
    if op.client_id not in (audience if isinstance(audience, list) else [audience]):
        raise Refused("audience")
    if claims.get("exp", 0) <= now:
        raise Refused("expired")
    if claims.get("iat", now + 1) > now:
        raise Refused("issued in the future")
    return claims


def sign_in(op: OpenIdProvider) -> dict:
    callback = authorize(op, requests.Session())
    response = token(op, callback)
    assert response.status_code == 200, response.text
    return response.json()


def test_discovery_describes_a_code_flow_provider_with_pkce(oidc_providers):
    for op in oidc_providers:
        conf = op.discovery()
        assert conf["issuer"] == op.issuer
        assert conf["code_challenge_methods_supported"] == ["S256"]
        assert "code" in conf["response_types_supported"]
        assert conf["end_session_endpoint"] == f"{op.issuer}/session/end"
        keys = requests.get(conf["jwks_uri"], timeout=10).json()["keys"]
        assert [key["alg"] for key in keys] == ["RS256"]
    assert oidc_providers.met.issuer != oidc_providers.gmp.issuer
    assert (oidc_providers[0], oidc_providers["gmp"]) == (oidc_providers.met, oidc_providers.gmp)


def test_the_redirect_uri_is_the_apps_callback_for_the_force(oidc_providers):
    assert oidc_providers.met.redirect_uris == [
        "http://testserver/accounts/oidc/force-met/login/callback/"
    ]
    assert callback_url("http://127.0.0.1:8000/", "gmp") == (
        "http://127.0.0.1:8000/accounts/oidc/force-gmp/login/callback/"
    )


def test_a_sign_in_gives_a_signed_id_token_for_the_person_set(oidc_providers):
    op = oidc_providers.met
    op.set_user({"sub": "abc-123", "email": "pat@met.demo.example", "name": "Pat Lee"})
    session = requests.Session()
    callback = authorize(op, session)
    assert callback["state"] == callback["sent_state"]
    assert callback["iss"] == op.issuer
    claims = strict_claims(op, token(op, callback).json()["id_token"])
    assert claims["sub"] == "abc-123"
    assert claims["email"] == "pat@met.demo.example"
    assert claims["name"] == "Pat Lee"
    assert claims["nonce"] == callback["nonce"]
    assert op.last()["auth"]["code_challenge_method"] == "S256"
    # The same browser again, the person's email changed at the provider: same subject.
    op.set_user({"sub": "abc-123", "email": "pat.lee@met.demo.example", "name": "Pat Lee"})
    again = strict_claims(op, token(op, authorize(op, session)).json()["id_token"])
    assert (again["sub"], again["email"]) == ("abc-123", "pat.lee@met.demo.example")
    # Another person chosen: the provider signs in again rather than reusing its session.
    op.set_user({"sub": "other-9", "email": "sam@met.demo.example"})
    assert strict_claims(op, token(op, authorize(op, session)).json()["id_token"])["sub"] == (
        "other-9"
    )


def test_a_code_is_single_use_and_needs_its_verifier(oidc_providers):
    op = oidc_providers.gmp
    callback = authorize(op, requests.Session())
    wrong = token(op, {**callback, "code_verifier": secrets.token_urlsafe(48)})
    assert wrong.status_code == 400
    assert wrong.json()["error"] == "invalid_grant"
    callback = authorize(op, requests.Session())
    assert token(op, callback).status_code == 200
    assert token(op, callback).status_code == 400


def test_one_forces_token_fails_the_other_forces_checks(oidc_providers):
    met_token = sign_in(oidc_providers.met)["id_token"]
    with pytest.raises(Refused):
        strict_claims(oidc_providers.gmp, met_token)


@pytest.mark.parametrize(
    ("mode", "reason"),
    [
        ("wrong_aud", "audience"),
        ("wrong_iss", "issuer"),
        ("expired", "expired"),
        ("future_iat", "issued in the future"),
        ("bad_sig", "signature"),
        ("unknown_kid", "kid"),
    ],
)
def test_each_spoilt_id_token_fails_its_check(oidc_providers, mode, reason):
    op = oidc_providers.met
    op.set_mode(mode)
    id_token = sign_in(op)["id_token"]
    assert op.last()["token"]["mode"] == mode
    with pytest.raises(Refused) as refused:
        strict_claims(op, id_token)
    assert refused.value.reason == reason


def test_a_wrong_nonce_is_signed_properly_but_is_not_the_one_sent(oidc_providers):
    op = oidc_providers.gmp
    op.set_mode("wrong_nonce")
    callback = authorize(op, requests.Session())
    claims = strict_claims(op, token(op, callback).json()["id_token"])
    assert claims["nonce"] != callback["nonce"]


def test_no_id_token_token_error_and_deny(oidc_providers):
    op = oidc_providers.met
    op.set_mode("no_id_token")
    body = sign_in(op)
    assert "access_token" in body
    assert "id_token" not in body
    op.set_mode("token_error")
    refused = token(op, authorize(op, requests.Session()))
    assert (refused.status_code, refused.json()["error"]) == (400, "invalid_grant")
    op.set_mode("deny")
    callback = authorize(op, requests.Session())
    assert callback["error"] == "access_denied"
    assert "code" not in callback


def test_unknown_modes_and_people_without_a_subject_are_refused(oidc_providers):
    op = oidc_providers.met
    assert requests.post(f"{op.issuer}/__test/mode", json={"mode": "x"}, timeout=5).status_code == (
        400
    )
    assert requests.post(f"{op.issuer}/__test/user", json={}, timeout=5).status_code == 400
