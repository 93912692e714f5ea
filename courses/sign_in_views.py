"""One sign-in: every page that would take a password, other than allauth's, sends the visitor
to allauth's sign-in page instead, with where they were going.

allauth's page is the one place a password is checked (SECURITY.md, "Signing in"): its failed
sign-in limit per account, its email-verification rule and the audit record of every attempt
(courses.audit) then hold for everyone, learners and editors alike. Answering every method
with a redirect means a password posted to one of these pages is never read.
"""

from django.contrib.auth import REDIRECT_FIELD_NAME
from django.urls import reverse
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
