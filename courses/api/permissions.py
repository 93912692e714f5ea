"""Access rules and rate limits for training managers' keys."""

from django.utils.translation import gettext_lazy as _
from rest_framework.permissions import BasePermission
from rest_framework.settings import api_settings
from rest_framework.throttling import SimpleRateThrottle

from courses.models import ApiKey


class HasApiKey(BasePermission):
    """Only a request authenticated by a manager's key; never a session or a password."""

    message = _("Send a training manager's API key as 'Authorization: Bearer <key>'.")

    def has_permission(self, request, view) -> bool:
        return isinstance(request.auth, ApiKey)


class ApiKeyRateThrottle(SimpleRateThrottle):
    """Per-key rate limit (scope "api_key"); DRF answers 429 with Retry-After."""

    scope = "api_key"

    def get_rate(self):
        # Read the setting on each request (not at import) so the rate can be changed in tests
        # and by settings overrides.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, ApiKey):
            return None
        # The prefix is unique and random, so keys never share a bucket.
        return self.cache_format % {"scope": self.scope, "ident": request.auth.prefix}


# --- The write scope --------------------------------------------------------------------


class HasWriteScope(BasePermission):
    """Writes (anything but GET, HEAD, OPTIONS) need a key with the write scope; reads need
    any manager's key (HasApiKey runs first)."""

    message = _(
        "This API key is read-only. Ask your administrator for a key with the write scope "
        "(“Read and set headcounts”) to set headcounts."
    )

    def has_permission(self, request, view) -> bool:
        if request.method in ("GET", "HEAD", "OPTIONS"):
            return True
        return isinstance(request.auth, ApiKey) and request.auth.can_write
