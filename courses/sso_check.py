"""The admin's "Check provider" button: fetch a provider's discovery document and its keys and
say, in words an administrator can act on, whether this platform can sign people in with it.

Nothing is sent but two GETs (no client id, no secret); it never raises."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests

DISCOVERY_PATH = "/.well-known/openid-configuration"
TIMEOUT = 5  # seconds, for each of the two requests
# What the sign-in accepts (courses.sso_views): ID tokens signed with these, by keys of these types.
SIGNING_ALGS = ("RS256", "ES256")
KEY_TYPES = ("RSA", "EC")
ENDPOINTS = (
    ("authorization_endpoint", "Authorisation endpoint"),
    ("token_endpoint", "Token endpoint"),
    ("jwks_uri", "Keys (JWKS)"),
    ("end_session_endpoint", "Sign-out endpoint"),
)


@dataclass
class ProviderCheck:
    ok: bool = True
    # (label, value) pairs found in the discovery document.
    found: list[tuple[str, str]] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def problem(self, message: str) -> "ProviderCheck":
        self.ok = False
        self.problems.append(message)
        return self


def discovery_url(issuer_url: str) -> str:
    return issuer_url.rstrip("/") + DISCOVERY_PATH


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"


def _get_json(url: str, what: str, check: ProviderCheck):
    try:
        response = requests.get(
            url, timeout=TIMEOUT, allow_redirects=False, headers={"Accept": "application/json"}
        )
    except requests.Timeout:
        check.problem(f"The provider did not answer within {TIMEOUT} seconds at {url}.")
        return None
    except requests.RequestException:
        check.problem(
            f"Could not reach {url}: check the address, and that this server may reach it."
        )
        return None
    if response.status_code != 200:
        check.problem(f"{what} at {url} answered {response.status_code}, not 200.")
        return None
    try:
        data = response.json()
    except ValueError:
        check.problem(f"{what} at {url} is not JSON: is this an OpenID Connect provider?")
        return None
    if not isinstance(data, dict):
        check.problem(f"{what} at {url} is not a JSON object.")
        return None
    return data


def provider_check(issuer_url: str) -> ProviderCheck:
    """Fetch `<issuer>/.well-known/openid-configuration` and its `jwks_uri`; report whether the
    document's issuer is exactly the one saved, its endpoints, and whether it offers what the
    sign-in needs (the code flow, PKCE with S256, RS256- or ES256-signed ID tokens, signing
    keys)."""
    check = ProviderCheck()
    document = _get_json(discovery_url(issuer_url), "The discovery document", check)
    if document is None:
        return check
    issuer = document.get("issuer")
    # As the sign-in compares them (courses.sso_views): exactly, but for a final slash.
    if not isinstance(issuer, str) or issuer.rstrip("/") != issuer_url.rstrip("/"):
        return check.problem(
            f"The provider calls itself {issuer!r}, not {issuer_url!r}: enter its issuer "
            "as it gives it, or ID tokens will be refused."
        )
    check.found.append(("Issuer", issuer))
    for key, label in ENDPOINTS:
        value = document.get(key)
        if isinstance(value, str) and value:
            check.found.append((label, value))
        elif key != "end_session_endpoint":
            check.problem(f"The discovery document has no {key}.")
    if not check.ok:
        return check
    if origin(document["authorization_endpoint"]) != origin(issuer):
        check.problem(
            "The authorisation endpoint is not on the issuer's address "
            f"({origin(issuer)}): browsers would refuse to send people there from the "
            "sign-in page."
        )
    if "end_session_endpoint" not in document:
        check.notes.append(
            "No sign-out endpoint: signing out here will not offer the provider's sign-out."
        )
    if "code" not in document.get("response_types_supported", ["code"]):
        check.problem("The provider does not offer the authorization code flow.")
    methods = document.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        check.problem("The provider does not offer PKCE with S256.")
    algs = document.get("id_token_signing_alg_values_supported", [])
    if not set(SIGNING_ALGS) & set(algs if isinstance(algs, list) else []):
        check.problem("The provider does not sign ID tokens with RS256 or ES256.")
    keys = _get_json(document["jwks_uri"], "The keys (JWKS)", check)
    if keys is None:
        return check
    listed = keys.get("keys")
    signing = [
        key
        for key in (listed if isinstance(listed, list) else [])
        if isinstance(key, dict) and key.get("kty") in KEY_TYPES and key.get("use", "sig") == "sig"
    ]
    if not signing:
        return check.problem("The provider publishes no RSA or EC signing key in its JWKS.")
    check.found.append(("Signing keys", str(len(signing))))
    return check
