"""Bearer-key authentication for training managers: `Authorization: Bearer <prefix>.<secret>`."""

import hmac
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from courses import selectors, services
from courses.models import ApiKey

# `<prefix>.<secret>` as services.api_key_create() makes them: a short alphanumeric prefix, a
# URL-safe base64 secret. Anything else is refused without a query.
KEY_FORMAT = re.compile(rb"[A-Za-z0-9]{1,16}\.[A-Za-z0-9_-]{1,256}")


class ApiKeyPrincipal:
    """Who is calling: the key, not a person. Never a Django user, so no session or password
    path can reach manager endpoints, and `is_staff` checks elsewhere stay false."""

    is_authenticated = True
    is_anonymous = False
    is_active = True
    is_staff = False
    is_superuser = False

    def __init__(self, api_key: ApiKey):
        self.api_key = api_key
        self.pk = self.id = None

    def __str__(self) -> str:
        return self.get_username()

    def get_username(self) -> str:
        return f"api-key:{self.api_key.prefix}"

    def has_perm(self, perm, obj=None) -> bool:
        return False

    def has_perms(self, perm_list, obj=None) -> bool:
        return False

    def has_module_perms(self, app_label) -> bool:
        return False


class ApiKeyAuthentication(BaseAuthentication):
    """Authenticates a manager's key. Guarantees: one SELECT by the unique prefix, a constant-time
    hash comparison, 401 for malformed, unknown, revoked or expired keys, and at most one UPDATE
    of `last_used_at` per key per minute."""

    keyword = "Bearer"

    def authenticate(self, request):
        try:
            parts = get_authorization_header(request).split()
        except UnicodeEncodeError:  # only a test client can send text beyond Latin-1
            raise exceptions.AuthenticationFailed(gettext("The API key is not valid.")) from None
        if not parts or parts[0].lower() != self.keyword.lower().encode():
            return None  # no Bearer credentials: the permission check answers 401
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(
                gettext("Send the key as 'Authorization: Bearer <key>', with no spaces in the key.")
            )
        return self.authenticate_key(parts[1])

    def authenticate_key(self, key: bytes):
        """Verify a key as sent (`<prefix>.<secret>`, bytes): (principal, key), or
        AuthenticationFailed. The one verification for every way a key arrives (Bearer here,
        HTTP Basic on the xAPI Statement Resource, courses.api.xapi_auth)."""
        # Checked before any lookup: a NUL or other control character must never reach the
        # database (PostgreSQL refuses NUL in text, which would be a 500).
        if not KEY_FORMAT.fullmatch(key):
            raise exceptions.AuthenticationFailed(gettext("The API key is not valid."))
        api_key = self._verified_key(key.decode("ascii"))
        now = timezone.now()
        if api_key.revoked_at is not None:
            raise exceptions.AuthenticationFailed(gettext("This API key has been revoked."))
        if api_key.expires_at is not None and api_key.expires_at <= now:
            raise exceptions.AuthenticationFailed(
                gettext("This API key has expired; ask an administrator for a new one.")
            )
        services.api_key_touch(api_key=api_key, now=now)
        return ApiKeyPrincipal(api_key), api_key

    def authenticate_header(self, request) -> str:
        return f'{self.keyword} realm="api"'

    @staticmethod
    def _verified_key(key: str) -> ApiKey:
        prefix, _, _ = key.partition(".")
        api_key = selectors.api_key_by_prefix(prefix)
        # Compare against the current and any fallback SECRET_KEY, so rotating the secret
        # (with SECRET_KEY_FALLBACKS) does not lock managers out at once.
        secrets_to_try = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
        stored = api_key.key_hash if api_key else ""
        matched = False
        for secret_key in secrets_to_try:
            candidate = services.api_key_hash(key, secret=secret_key)
            matched |= hmac.compare_digest(candidate, stored)
        if api_key is None or not matched:
            raise exceptions.AuthenticationFailed(gettext("The API key is not valid."))
        return api_key


class ApiKeyAuthenticationScheme(OpenApiAuthenticationExtension):
    """Documents the key as an HTTP bearer scheme, so /api/docs/ offers 'Authorize'."""

    target_class = "courses.api.authentication.ApiKeyAuthentication"
    name = "ApiKey"

    def get_security_definition(self, auto_schema):
        return {
            "type": "http",
            "scheme": "bearer",
            "bearerFormat": "<prefix>.<secret>",
            "description": (
                "A training manager's key, created by an administrator in the Wagtail admin "
                "or with `manage.py create_api_key`. Send `Authorization: Bearer <key>`. "
                "A key reads only the forces it names; revoked or expired keys get 401."
            ),
        }
