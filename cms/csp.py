"""Content-Security-Policy: one strict policy for the site, and looser ones scoped by path to the
two third-party UIs that need them (the Wagtail admin and the Swagger UI at /api/docs/)."""

from copy import deepcopy

from csp.constants import NONE, SELF, UNSAFE_INLINE

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


class ScopedCSPMiddleware:
    """Picks the policy for the request's path; django-csp's CSPMiddleware writes the header.
    List it after csp.middleware.CSPMiddleware so that it sees the response first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if getattr(response, "_csp_config", None) is None:
            for prefix, policy in SCOPED_POLICIES:
                if request.path.startswith(prefix):
                    response._csp_config = policy
                    break
        return response
