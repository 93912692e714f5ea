"""Signing in through a force's OpenID Connect provider: allauth's own login and callback views,
with an adapter that checks the ID token as OpenID Connect Core 3.1.3.7 asks.

These routes come before allauth's include in cms/urls.py, so they always run: allauth's browser
flow (65.x) sends no `nonce` and, because the token came straight from the provider over TLS,
checks no ID token signature (nor `iat`, `azp`, or that a token is there at all). Here:
- the login view sends a fresh `nonce` (kept in the session, single use, 10 minutes) and passes
  on only `next` from the request: allauth would otherwise copy `auth_params`, `scope` and
  `process` from the query into the request to the provider;
- `StrictOpenIDConnectAdapter.complete_login` refuses a token response without an ID token and
  verifies the token: signature against the provider's published keys (RS256 or ES256 only),
  `iss` equal to the issuer of the discovery document (itself equal to the configured issuer),
  `aud` holding the client id, `azp` when there are several audiences, `exp` and `iat` within
  SSO_CLOCK_SKEW_SECONDS, the nonce sent, and the userinfo `sub` (when fetched) equal to the
  token's. Any failure raises OAuth2Error, which allauth's callback renders through the
  adapter's on_authentication_error (courses.sso_adapter: the audit row and the page).
- Throttle: the login view (a POST) consumes allauth's "login" rate per IP. allauth counts no
  GETs, so the callback is not counted itself; each callback that reaches the provider needs a
  state that only a counted login POST creates, and any other is refused before any request.

A discovery document or key set that cannot be fetched is answered with the same error page,
never a 500 (allauth fetches discovery outside its own error handling in the callback).
"""

import secrets
import time

import jwt
from allauth.core import ratelimit
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.helpers import render_authentication_error
from allauth.socialaccount.models import SocialApp
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, QueryDict
from django.template.response import TemplateResponse
from django.utils.http import urlencode
from django.utils.translation import gettext
from requests import RequestException

from courses import sessions

ALGORITHMS = ("RS256", "ES256")
NONCE_TTL = 600
NONCES_KEPT = 10
REQUIRED_CLAIMS = ["iss", "sub", "aud", "exp", "iat", "nonce"]
_jwks_clients: dict[str, jwt.PyJWKClient] = {}


class IdTokenRefused(OAuth2Error):
    """The ID token (or the response carrying it) is not acceptable. `reason` is one of
    "expired", "not_for_us", "unverified", "unavailable" (the page words it)."""

    def __init__(self, reason: str, detail: str):
        super().__init__(detail)
        self.reason = reason


def _jwks_client(uri: str) -> jwt.PyJWKClient:
    """One client per key set URL, caching its keys for 5 minutes; a token naming a key it
    does not know makes it fetch the set once more before refusing."""
    client = _jwks_clients.get(uri)
    if client is None:
        if len(_jwks_clients) > 200:
            _jwks_clients.clear()
        client = _jwks_clients[uri] = jwt.PyJWKClient(uri, lifespan=300, timeout=10)
    return client


def verify_id_token(raw: str, *, issuer: str, jwks_uri: str, client_id: str) -> dict:
    """The ID token's claims, once every check above has passed; else IdTokenRefused."""
    try:
        alg = jwt.get_unverified_header(raw).get("alg")
    except jwt.PyJWTError as e:
        raise IdTokenRefused("unverified", "The ID token is not a signed JWT.") from e
    if alg not in ALGORITHMS:
        raise IdTokenRefused("unverified", "The ID token is signed with an algorithm not allowed.")
    try:
        key = _jwks_client(jwks_uri).get_signing_key_from_jwt(raw)
    except jwt.PyJWKClientConnectionError as e:
        raise IdTokenRefused("unavailable", "The provider's keys cannot be fetched.") from e
    except jwt.PyJWTError as e:
        raise IdTokenRefused("unverified", "The ID token's key is not the provider's.") from e
    try:
        claims = jwt.decode(
            raw,
            key.key,
            algorithms=[alg],
            audience=client_id,
            issuer=issuer,
            leeway=settings.SSO_CLOCK_SKEW_SECONDS,
            options={"require": REQUIRED_CLAIMS},
        )
    except jwt.ExpiredSignatureError as e:
        raise IdTokenRefused("expired", "The ID token has expired.") from e
    except (jwt.InvalidAudienceError, jwt.InvalidIssuerError) as e:
        raise IdTokenRefused("not_for_us", "The ID token is for another party.") from e
    except jwt.PyJWTError as e:
        raise IdTokenRefused("unverified", "The ID token is not valid.") from e
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    if (len(audiences) > 1 or "azp" in claims) and claims.get("azp") != client_id:
        raise IdTokenRefused("not_for_us", "The ID token was issued to another party.")
    return claims


def nonce_issue(request) -> str:
    """A new nonce, remembered in the session (the newest NONCES_KEPT, for NONCE_TTL)."""
    now = time.time()
    nonces = {
        n: at
        for n, at in request.session.get(sessions.SSO_NONCES, {}).items()
        if now - at < NONCE_TTL
    }
    nonce = secrets.token_urlsafe(24)
    nonces[nonce] = now
    newest = sorted(nonces.items(), key=lambda item: item[1])[-NONCES_KEPT:]
    request.session[sessions.SSO_NONCES] = dict(newest)
    return nonce


def nonce_use(request, nonce) -> bool:
    """Whether `nonce` was issued to this session and is still fresh; it cannot be used again."""
    nonces = dict(request.session.get(sessions.SSO_NONCES, {}))
    issued_at = nonces.pop(nonce, None) if isinstance(nonce, str) else None
    request.session[sessions.SSO_NONCES] = nonces
    return issued_at is not None and time.time() - issued_at < NONCE_TTL


class StrictOpenIDConnectAdapter(OpenIDConnectOAuth2Adapter):
    """allauth's OpenID Connect adapter whose complete_login verifies the ID token."""

    def complete_login(self, request, app, token, **kwargs):
        raw = (kwargs.get("response") or {}).get("id_token")
        if not raw or not isinstance(raw, str):
            raise IdTokenRefused("unverified", "The provider sent no ID token.")
        config = self.openid_config
        configured = app.settings["server_url"].rstrip("/")
        if str(config.get("issuer", "")).rstrip("/") != configured:
            raise IdTokenRefused("unverified", "The discovery document names another issuer.")
        claims = verify_id_token(
            raw, issuer=config["issuer"], jwks_uri=config["jwks_uri"], client_id=app.client_id
        )
        if not nonce_use(request, claims.get("nonce")):
            raise IdTokenRefused("unverified", "The ID token's nonce is not one this session sent.")
        data = {"id_token": claims}
        if app.settings.get("fetch_userinfo"):
            with get_adapter().get_requests_session() as http:
                response = http.get(
                    self.profile_url, headers={"Authorization": f"Bearer {token.token}"}
                )
                response.raise_for_status()
                data["userinfo"] = response.json()
            if data["userinfo"].get("sub") != claims["sub"]:
                raise IdTokenRefused("unverified", "userinfo is about another subject.")
        # Kept for the provider's sign-out (id_token_hint): in the session, through a first
        # sign-in's role question; on the request, past allauth signing out a previous user.
        request.sso_id_token = request.session[sessions.SSO_ID_TOKEN] = raw
        return self.get_provider().sociallogin_from_response(request, data)


class NonceSendingAdapter(StrictOpenIDConnectAdapter):
    """For the login view: the provider it returns asks for a fresh nonce."""

    def get_provider(self):
        provider = super().get_provider()
        if self.request.method == "POST":
            app_settings = dict(provider.app.settings)
            auth_params = dict(app_settings.get("auth_params") or {})
            auth_params["nonce"] = nonce_issue(self.request)
            app_settings["auth_params"] = auth_params
            # An in-memory app (ForceSocialAccountAdapter.list_apps), never saved.
            provider.app.settings = app_settings
        return provider


def _only_next(data: QueryDict) -> QueryDict:
    """`next` (and the CSRF token) of the request's data, as an immutable QueryDict."""
    kept = {name: data[name] for name in ("next", "csrfmiddlewaretoken") if name in data}
    return QueryDict(urlencode(kept))


def _run(view_class, adapter_class, request, provider_id: str):
    try:
        return view_class.adapter_view(adapter_class(request, provider_id))(request)
    except SocialApp.DoesNotExist:
        raise Http404(gettext("No force signs in through this provider.")) from None
    except (RequestException, ValueError, KeyError) as e:
        # Discovery (or the key set) could not be fetched or read.
        provider = get_adapter(request).get_provider(request, provider_id)
        return render_authentication_error(
            request, provider, exception=IdTokenRefused("unavailable", type(e).__name__)
        )


@login_not_required
def login(request, provider_id: str):
    limited = ratelimit.consume_or_429(request, action="login")
    if limited:
        return limited
    request.GET = _only_next(request.GET)
    if request.method == "POST":
        request.POST = _only_next(request.POST)
    return _run(OAuth2LoginView, NonceSendingAdapter, request, provider_id)


@login_not_required
def callback(request, provider_id: str):
    return _run(OAuth2CallbackView, StrictOpenIDConnectAdapter, request, provider_id)


def signed_out(request):
    """After signing out of a session begun through a force's provider: says so, and offers
    the provider's own sign-out (its end_session_endpoint, with id_token_hint) as a link; once."""
    data = request.session.pop(sessions.SSO_SIGNED_OUT, None) or {}
    context = {"end_session_url": "", "provider_name": ""}
    provider_id = data.get("provider_id") if isinstance(data, dict) else None
    if provider_id:
        try:
            adapter = StrictOpenIDConnectAdapter(request, provider_id)
            provider = adapter.get_provider()
            endpoint = adapter.openid_config.get("end_session_endpoint")
        except (SocialApp.DoesNotExist, RequestException, ValueError):
            endpoint = None
        if endpoint:
            # The site's root, without a language prefix: the address registered with the
            # provider; it redirects to the visitor's language (cms.locale).
            params = {
                "client_id": provider.app.client_id,
                "post_logout_redirect_uri": request.build_absolute_uri("/"),
            }
            if data.get("id_token"):
                params["id_token_hint"] = data["id_token"]
            context = {
                "end_session_url": f"{endpoint}?{urlencode(params)}",
                "provider_name": provider.app.name,
            }
    return TemplateResponse(request, "socialaccount/signed_out.html", context)
