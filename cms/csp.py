"""Content-Security-Policy: one strict policy for the site, and looser ones scoped by path to the
two third-party UIs that need them (the Wagtail admin and the Swagger UI at /api/docs/)."""

from copy import deepcopy

from csp.constants import HEADER, NONE, SELF, UNSAFE_INLINE
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as BaseCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver

# Learner and public pages: our own scripts and styles only, no inline script, no plugins,
# no <base> rewriting, never framed.
SITE_POLICY = {
    "default-src": [SELF],
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "media-src": [SELF],
    "font-src": [SELF],
    "connect-src": [SELF],
    "form-action": [SELF],
    "frame-src": [NONE],
    "object-src": [NONE],
    "base-uri": [NONE],
    "frame-ancestors": [NONE],
}


def _looser(**changes: list[str]) -> dict:
    policy = deepcopy(SITE_POLICY)
    policy.update(changes)
    return policy


# Wagtail 8's admin still renders a few inline <script> blocks (inline panels, date widgets) and
# inline styles, shows uploads as blob:/data: previews and frames its own preview pages.
ADMIN_POLICY = _looser(
    **{
        "script-src": [SELF, UNSAFE_INLINE],
        "style-src": [SELF, UNSAFE_INLINE],
        "img-src": [SELF, "data:", "blob:"],
        "media-src": [SELF, "blob:"],
        "frame-src": [SELF],
        "frame-ancestors": [SELF],
    }
)
# Swagger UI (served from our static files by the split view, so no inline script) sets inline
# styles and draws icons as data: SVG.
API_DOCS_POLICY = _looser(**{"style-src": [SELF, UNSAFE_INLINE]})

SCOPED_POLICIES = (("/admin/", ADMIN_POLICY), ("/api/docs/", API_DOCS_POLICY))

# Attributes django-csp's decorators (and a view's own code) set on a response to change its
# policy: such responses are left to django-csp.
_PER_RESPONSE = (
    "_csp_config",
    "_csp_update",
    "_csp_replace",
    "_csp_exempt",
    "_csp_config_ro",
    "_csp_update_ro",
    "_csp_replace_ro",
    "_csp_exempt_ro",
)


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, choosing the policy by path (SCOPED_POLICIES, else the site's
    from settings) and building each policy's header once per process.

    django-csp builds the header again for every response, copying the policy through
    `dataclasses.asdict()`: 85-115 us a response on the benchmark machine, about 20 us kept
    (docs/benchmarks.md). The header depends only on the policy, unless the response uses a
    nonce, one of django-csp's decorators, a report-only policy or excluded prefixes: those
    responses take django-csp's own path, unchanged.
    """

    _headers: dict[str | None, str] = {}  # path prefix (None: the site) -> header

    def process_response(self, request, response):
        prefix, policy = _scoped(request.path)
        if self._plain(request, response):
            header = self._headers.get(prefix)
            if header is None:
                header = self._headers[prefix] = build_policy(config=policy)
            if header:
                response[HEADER] = header
            # As django-csp does: a nonce asked for after the header is written is an error.
            request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
            return response
        if policy is not None and getattr(response, "_csp_config", None) is None:
            response._csp_config = policy
        return super().process_response(request, response)

    @staticmethod
    def _plain(request, response) -> bool:
        return not (
            getattr(request, "_csp_nonce", None) is not None
            or HEADER in response
            or any(hasattr(response, name) for name in _PER_RESPONSE)
            or getattr(settings, "CONTENT_SECURITY_POLICY_REPORT_ONLY", None)
            or (getattr(settings, "CONTENT_SECURITY_POLICY", None) or {}).get(
                "EXCLUDE_URL_PREFIXES"
            )
            or (settings.DEBUG and response.status_code in (404, 500))
        )


def _scoped(path: str) -> tuple[str | None, dict | None]:
    """The policy for a path: (its prefix, its directives), or (None, None) for the site's
    policy from settings."""
    for prefix, policy in SCOPED_POLICIES:
        if path.startswith(prefix):
            return prefix, policy
    return None, None


@receiver(setting_changed)
def _forget_headers(*, setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        CSPMiddleware._headers.clear()
