"""One sign-in rule: allauth's sign-in view checks every password.

Learners sign in at allauth's `/accounts/login/`; editors at `/admin/login/`, which is the same
allauth view with a staff page (`StaffSignInView`). Either way allauth's failed sign-in limit
per account, its email-verification rule and the audit record of every attempt
(courses.audit) hold (SECURITY.md, "Signing in"). Every other page that would take a password
sends the visitor to allauth's sign-in page instead, with where they were going: answering
every method with a redirect means a password posted to one of those pages is never read.
"""

from allauth.account.views import LoginView
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.generic import RedirectView


class SignInRedirectView(RedirectView):
    """Redirects (any method) to allauth's `pattern_name` page, keeping `next`, or sending
    `default_next` when the request names none."""

    permanent = False
    pattern_name = "account_login"
    default_next = ""

    def get_redirect_url(self, *args, **kwargs):
        url = reverse(self.pattern_name)
        next_url = self.request.GET.get(REDIRECT_FIELD_NAME) or self.default_next
        # allauth checks `next` against ALLOWED_HOSTS before following it.
        return f"{url}?{urlencode({REDIRECT_FIELD_NAME: next_url})}" if next_url else url


class StaffSignInView(LoginView):
    """allauth's sign-in for the editors' area (`WAGTAILADMIN_LOGIN_URL`), on a page in the
    admin's look that says it is for staff; after signing in, `next` or the admin's dashboard.

    Wagtail sends a signed-in account without admin access back here (with its message "You do
    not have permission to access the admin"). allauth's view would send it on to `next`, the
    admin, round and round; it gets a page saying so instead, and nothing it posts is read."""

    template_name = "account/staff_login.html"
    success_url = reverse_lazy("wagtailadmin_home")

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and not user.has_perm("wagtailadmin.access_admin"):
            return TemplateResponse(request, "account/staff_no_access.html", status=403)
        return super().dispatch(request, *args, **kwargs)
