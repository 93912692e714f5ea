"""One sign-in rule: allauth's sign-in view checks every password.

Learners sign in at allauth's `/accounts/login/`; editors at `/admin/login/`, which is the same
allauth view with a staff page (`StaffSignInView`). Either way allauth's failed sign-in limit
per account, its email-verification rule and the audit record of every attempt
(courses.audit) hold (SECURITY.md, "Signing in"). Every other page that would take a password
sends the visitor to allauth's sign-in page instead, with where they were going: answering
every method with a redirect means a password posted to one of those pages is never read.

Both sign-in pages ask for the email address first (`EmailFirstMixin`). Its domain alone
decides what comes next: "Sign in with <force>" when the force has connected its identity
provider (the OpenID Connect routes under /accounts/oidc/), the password field unless that
force has turned password sign-in off. Without JavaScript a "Continue" button posts the address
and the page comes back with the right form; with it (static/js/sign-in.js) the page changes as
the domain is typed. Whether an account exists is never looked at, so nothing is revealed.
"""

from allauth.account.views import LoginView
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.db.models import prefetch_related_objects
from django.template.response import TemplateResponse
from django.urls import reverse, reverse_lazy
from django.utils.http import urlencode
from django.views.generic import RedirectView

from courses.selectors.sso import sso_provider_for_email, sso_providers
from courses.sso_check import origin


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


def sso_login_url(provider) -> str:
    """Where "Sign in with <force>" posts: the provider's OpenID Connect login route."""
    return reverse("openid_connect_login", kwargs={"provider_id": provider.provider_id})


def sso_label(provider) -> str:
    return provider.display_name or provider.force.name


class EmailFirstMixin:
    """The email-first sign-in, on allauth's LoginView: a POST with `continue` renders the form
    for the address's domain without checking anything else. A password posted for a force
    that signs its people in only through its provider is refused by the account adapter
    (courses.adapters); the page then shows its message and the force's button, no password."""

    continuing = False

    def post(self, request, *args, **kwargs):
        email = request.POST.get("login", "")
        self.sso = sso_provider_for_email(email) if isinstance(email, str) else None
        if "continue" in request.POST:
            self.continuing = True
            return self.render_to_response(self.get_context_data(form=self.get_form()))
        return super().post(request, *args, **kwargs)

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        if self.continuing:
            kwargs.pop("data", None)
            kwargs.pop("files", None)
            kwargs["initial"] = {"login": self.request.POST.get("login", "").strip()}
        return kwargs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        form = context["form"]
        sso = getattr(self, "sso", None) if (self.continuing or form.is_bound) else None
        providers = sso_providers()
        prefetch_related_objects(providers, "force__email_domains")
        context.update(
            # The first step: only the address (with JavaScript, the page goes on from there).
            email_step=not (self.continuing or form.is_bound),
            sso=sso
            and {"action": sso_login_url(sso), "label": sso_label(sso), "force": sso.force.name},
            password_allowed=sso is None or sso.password_sign_in,
            sso_choices=[{"action": sso_login_url(p), "label": sso_label(p)} for p in providers],
            # For sign-in.js: each domain of a force with a provider (what the chooser lists
            # anyway), nothing about accounts.
            sso_domains={
                domain.domain: {
                    "action": sso_login_url(p),
                    "label": sso_label(p),
                    "password": p.password_sign_in,
                }
                for p in providers
                for domain in p.force.email_domains.all()
            },
        )
        self.form_targets = sorted({origin(p.issuer_url) for p in providers})
        return context

    def render_to_response(self, context, **response_kwargs):
        """The page's forms post here and to the OpenID Connect routes, which redirect to the
        providers; browsers apply the page's CSP form-action to those redirects, so the
        providers' origins are added to it (cms.csp reads `csp_form_action`)."""
        response = super().render_to_response(context, **response_kwargs)
        response.csp_form_action = getattr(self, "form_targets", [])
        return response


class SignInView(EmailFirstMixin, LoginView):
    """allauth's sign-in for learners (`/accounts/login/`), email first."""


class StaffSignInView(EmailFirstMixin, LoginView):
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
