"""Content-Security-Policy: one strict policy for the site, and looser ones scoped by path to the
two third-party UIs that need them (the Wagtail admin and the Swagger UI at /api/docs/), and
for the admin's previews of site pages."""

from copy import deepcopy

from csp.constants import NONE, SELF, UNSAFE_INLINE
from csp.middleware import CSPMiddleware as BaseCSPMiddleware

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
# Wagtail renders a preview by passing a request for the page's own URL through the middleware
# (`Page.make_preview_request`, which marks it `is_preview`), and the admin shows it in a frame:
# the site's policy, framed by the admin's own pages only.
PREVIEW_POLICY = _looser(**{"frame-ancestors": [SELF]})


class CSPMiddleware(BaseCSPMiddleware):
    """django-csp's middleware, choosing the policy by path: SCOPED_POLICIES for the two UIs
    that need a looser one, PREVIEW_POLICY for an editor's preview of a page, the site's
    (CONTENT_SECURITY_POLICY) everywhere else. Through `get_policy_parts`, the extension point
    django-csp documents; a view's own `@csp_override` still wins."""

    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.config is None:
            if getattr(request, "is_preview", False):
                parts.config = PREVIEW_POLICY
            else:
                parts.config = scoped_policy(request.path)
        # A page whose forms lead, through a redirect, to another site (the sign-in pages'
        # "Sign in with <force>", to the force's identity provider) names those origins: the
        # decorators django-csp documents take a fixed policy, and these come from the database.
        form_targets = getattr(response, "csp_form_action", None)
        if form_targets:
            update = dict(parts.update or {})
            update["form-action"] = [*update.get("form-action", []), *form_targets]
            parts.update = update
        return parts


def scoped_policy(path: str) -> dict | None:
    """The policy for a path, or None for the site's policy from settings."""
    for prefix, policy in SCOPED_POLICIES:
        if path.startswith(prefix):
            return policy
    return None
