"""The admin's "Check provider" button: fetch a provider's discovery document and its keys and
say, in words an administrator can act on, whether this platform can sign people in with it.

Nothing is sent but two GETs (no client id, no secret); it never raises."""

from dataclasses import dataclass, field
from urllib.parse import urlsplit

import requests
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

DISCOVERY_PATH = "/.well-known/openid-configuration"
TIMEOUT = 5  # seconds, for each of the two requests
# What the sign-in accepts (courses.sso_views): ID tokens signed with these, by keys of these types.
SIGNING_ALGS = ("RS256", "ES256")
KEY_TYPES = ("RSA", "EC")
ENDPOINTS = (
    ("authorization_endpoint", _("Authorisation endpoint")),
    ("token_endpoint", _("Token endpoint")),
    ("jwks_uri", _("Keys (JWKS)")),
    ("end_session_endpoint", _("Sign-out endpoint")),
)
# What `_get_json` says about each of the two documents, whole sentences so each translates
# as one: the answer was not 200, not JSON, or not a JSON object.
DOCUMENT_PROBLEMS = {
    "discovery": (
        _("The discovery document at %(url)s answered %(status)s, not 200."),
        _("The discovery document at %(url)s is not JSON: is this an OpenID Connect provider?"),
        _("The discovery document at %(url)s is not a JSON object."),
    ),
    "keys": (
        _("The keys (JWKS) at %(url)s answered %(status)s, not 200."),
        _("The keys (JWKS) at %(url)s are not JSON: is this an OpenID Connect provider?"),
        _("The keys (JWKS) at %(url)s are not a JSON object."),
    ),
}


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
    not_200, not_json, not_object = DOCUMENT_PROBLEMS[what]
    try:
        response = requests.get(
            url, timeout=TIMEOUT, allow_redirects=False, headers={"Accept": "application/json"}
        )
    except requests.Timeout:
        check.problem(
            gettext("The provider did not answer within %(seconds)s seconds at %(url)s.")
            % {"seconds": TIMEOUT, "url": url}
        )
        return None
    except requests.RequestException:
        check.problem(
            gettext(
                "Could not reach %(url)s: check the address, and that this server may reach it."
            )
            % {"url": url}
        )
        return None
    if response.status_code != 200:
        check.problem(not_200 % {"url": url, "status": response.status_code})
        return None
    try:
        data = response.json()
    except ValueError:
        check.problem(not_json % {"url": url})
        return None
    if not isinstance(data, dict):
        check.problem(not_object % {"url": url})
        return None
    return data


def provider_check(issuer_url: str) -> ProviderCheck:
    """Fetch `<issuer>/.well-known/openid-configuration` and its `jwks_uri`; report whether the
    document's issuer is exactly the one saved, its endpoints, and whether it offers what the
    sign-in needs (the code flow, PKCE with S256, RS256- or ES256-signed ID tokens, signing
    keys)."""
    check = ProviderCheck()
    document = _get_json(discovery_url(issuer_url), "discovery", check)
    if document is None:
        return check
    issuer = document.get("issuer")
    # As the sign-in compares them (courses.sso_views): exactly, but for a final slash.
    if not isinstance(issuer, str) or issuer.rstrip("/") != issuer_url.rstrip("/"):
        return check.problem(
            gettext(
                "The provider calls itself %(found)s, not %(saved)s: enter its issuer as it "
                "gives it, or ID tokens will be refused."
            )
            % {"found": repr(issuer), "saved": repr(issuer_url)}
        )
    check.found.append((gettext("Issuer"), issuer))
    for key, label in ENDPOINTS:
        value = document.get(key)
        if isinstance(value, str) and value:
            check.found.append((str(label), value))
        elif key != "end_session_endpoint":
            check.problem(gettext("The discovery document has no %(key)s.") % {"key": key})
    if not check.ok:
        return check
    if origin(document["authorization_endpoint"]) != origin(issuer):
        check.problem(
            gettext(
                "The authorisation endpoint is not on the issuer's address (%(origin)s): "
                "browsers would refuse to send people there from the sign-in page."
            )
            % {"origin": origin(issuer)}
        )
    if "end_session_endpoint" not in document:
        check.notes.append(
            gettext(
                "No sign-out endpoint: signing out here will not offer the provider's sign-out."
            )
        )
    if "code" not in document.get("response_types_supported", ["code"]):
        check.problem(gettext("The provider does not offer the authorization code flow."))
    methods = document.get("code_challenge_methods_supported")
    if methods is not None and "S256" not in methods:
        check.problem(gettext("The provider does not offer PKCE with S256."))
    algs = document.get("id_token_signing_alg_values_supported", [])
    if not set(SIGNING_ALGS) & set(algs if isinstance(algs, list) else []):
        check.problem(gettext("The provider does not sign ID tokens with RS256 or ES256."))
    keys = _get_json(document["jwks_uri"], "keys", check)
    if keys is None:
        return check
    listed = keys.get("keys")
    signing = [
        key
        for key in (listed if isinstance(listed, list) else [])
        if isinstance(key, dict) and key.get("kty") in KEY_TYPES and key.get("use", "sig") == "sig"
    ]
    if not signing:
        return check.problem(
            gettext("The provider publishes no RSA or EC signing key in its JWKS.")
        )
    check.found.append((gettext("Signing keys"), str(len(signing))))
    return check
