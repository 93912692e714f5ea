"""The Wagtail admin's "Sign-in providers" screens, for administrators (superusers) only: the
forces that sign their people in through their own OpenID Connect provider, a provider's
settings (the client secret is write-only), and a "Check provider" button. Registered by
courses.wagtail_hooks (Settings menu).

Saves go through courses.services.sso.identity_provider_save, which audits them."""

import ipaddress
from urllib.parse import urlsplit

from allauth.socialaccount.models import SocialAccount
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce, Concat
from django.shortcuts import get_object_or_404, redirect
from django.urls import path, reverse
from django.utils.functional import cached_property
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.generic import FormView, TemplateView
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from courses.models import Force, IdentityProvider
from courses.services.sso import (
    ROLE_CLAIM_MISSING,
    ROLES,
    identity_provider_save,
    role_map_check,
)
from courses.sso_check import DISCOVERY_PATH, provider_check
from courses.superuser_admin import (
    AdministratorsMenuItem,
    AdministratorsOnlyMixin,
    WriteOnlySecretMixin,
    write_only_secret_field,
)

INDEX = "courses_sso_providers"


class BreadcrumbsMixin:
    """Home > Sign-in providers [> this page]."""

    def get_breadcrumbs_items(self):
        items = [
            *self.breadcrumbs_items,
            {"url": reverse(INDEX), "label": gettext("Sign-in providers")},
        ]
        if self.request.resolver_match.url_name == INDEX:
            items[-1]["url"] = ""
        else:
            items.append({"url": "", "label": self.get_page_title()})
        return items


def redirect_uri(code: str) -> str:
    """The address to register with the provider: where it sends people back."""
    base = settings.WAGTAILADMIN_BASE_URL.rstrip("/")
    return f"{base}/accounts/oidc/force-{code}/login/callback/"


def the_provider(pk) -> IdentityProvider:
    return get_object_or_404(IdentityProvider.objects.select_related("force"), pk=pk)


def providers_with_counts():
    """Every provider with its force and how many accounts are linked to it: one query."""
    linked = (
        SocialAccount.objects.filter(provider=Concat(Value("force-"), OuterRef("force__code")))
        .order_by()
        .values("provider")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        IdentityProvider.objects.select_related("force")
        .annotate(linked=Coalesce(Subquery(linked), 0))
        .order_by("force__name")
    )


class ProvidersView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    template_name = "courses/sso_admin/index.html"
    page_title = _("Sign-in providers")
    header_icon = "key"

    def get_context_data(self, **kwargs):
        return super().get_context_data(providers=providers_with_counts(), **kwargs)


def is_loopback(host: str | None) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host or "").is_loopback
    except ValueError:
        return False


class IdentityProviderForm(WriteOnlySecretMixin, forms.ModelForm):
    """A force's provider. The client secret is write-only: never rendered, not even back into
    a form with errors; left blank, the saved one is kept."""

    missing_source_message = _(
        "Enter the client secret, or name the environment variable that holds it."
    )
    both_sources_message = _(
        "Either enter the client secret or name the environment variable that holds it, not both."
    )

    issuer_url = forms.URLField(
        max_length=300,
        assume_scheme="https",
        label=_("Issuer URL"),
        help_text=IdentityProvider._meta.get_field("issuer_url").help_text,
        error_messages={"required": _("Enter the provider's issuer URL.")},
    )
    secret = write_only_secret_field(
        _("Client secret"),
        _(
            "The secret the provider gave this platform. It is stored encrypted and never "
            "shown again."
        ),
    )
    role_map = forms.JSONField(
        required=False,
        label=_("Role map"),
        help_text=format_lazy(
            _("{help} Roles: {roles}."),
            help=IdentityProvider._meta.get_field("role_map").help_text,
            roles=", ".join(ROLES),
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"invalid": _('Enter the role map as JSON, e.g. {"PCSO": "pcso"}.')},
    )

    class Meta:
        model = IdentityProvider
        fields = [
            "force",
            "enabled",
            "display_name",
            "issuer_url",
            "client_id",
            "secret",
            "secret_env",
            "password_sign_in",
            "role_claim",
            "role_map",
        ]
        error_messages = {
            "force": {
                "required": _("Choose the force whose people sign in through this provider.")
            },
            "client_id": {"required": _("Enter the client ID the provider gave this platform.")},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            del self.fields["force"]
        else:
            self.fields["force"].queryset = Force.objects.filter(
                identity_provider__isnull=True
            ).order_by("name")
            self.fields["force"].help_text = gettext("Forces that have no sign-in provider yet.")

    def clean_force(self):
        force = self.cleaned_data["force"]
        if not force.email_domains.exists():
            raise forms.ValidationError(
                gettext(
                    "%(force)s has no email domains: add them to the force first. Only "
                    "addresses at its domains may sign in through its provider."
                )
                % {"force": force.name}
            )
        return force

    def clean_issuer_url(self):
        issuer = self.cleaned_data["issuer_url"]
        if issuer.endswith(DISCOVERY_PATH):  # the discovery document's address, pasted
            issuer = issuer[: -len(DISCOVERY_PATH)]
        parts = urlsplit(issuer)
        if parts.username or parts.password or parts.query or parts.fragment:
            raise forms.ValidationError(
                gettext("Enter the issuer alone, without a user name, ?… or #….")
            )
        if parts.scheme != "https" and not (parts.scheme == "http" and is_loopback(parts.hostname)):
            raise forms.ValidationError(
                gettext(
                    "Use an https:// address: sign-in tokens must be encrypted on the way. "
                    "Plain http:// is allowed only for localhost."
                )
            )
        return issuer

    def clean_role_map(self):
        role_map = self.cleaned_data["role_map"] or {}
        role_map_check(role_map)
        return role_map

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role_map") and not cleaned.get("role_claim"):
            self.add_error("role_claim", ROLE_CLAIM_MISSING)
        return cleaned


class ProviderFormView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, FormView
):
    """Connect a force's provider (no `pk`) or change one; saved and audited by the service."""

    template_name = "courses/sso_admin/form.html"
    form_class = IdentityProviderForm
    header_icon = "key"

    @cached_property
    def provider(self) -> IdentityProvider | None:
        if "pk" not in self.kwargs:
            return None
        return the_provider(self.kwargs["pk"])

    def get_page_title(self):
        if self.provider is None:
            return gettext("Connect a force's sign-in provider")
        return gettext("%(force)s: sign-in provider") % {"force": self.provider.force.name}

    def get_form_kwargs(self):
        return {**super().get_form_kwargs(), "instance": self.provider}

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            provider=self.provider,
            redirect_uri=redirect_uri(self.provider.force.code) if self.provider else "",
            redirect_uri_pattern=redirect_uri("<force code>"),
            **kwargs,
        )

    def form_valid(self, form):
        data = {name: form.cleaned_data[name] for name in form.Meta.fields if name in form.fields}
        force = data.pop("force", None) or self.provider.force
        data.pop("secret")
        try:
            provider = identity_provider_save(
                force=force,
                data=data,
                secret=form.cleaned_data["secret"],
                user=self.request.user,
                path=self.request.path,
            )
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request, gettext("%(force)s's sign-in provider saved.") % {"force": force.name}
        )
        return redirect("courses_sso_provider_edit", pk=provider.pk)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(form=form), status=400)


class ProviderCheckView(
    AdministratorsOnlyMixin, BreadcrumbsMixin, WagtailAdminTemplateMixin, TemplateView
):
    """POST only: fetch the saved provider's discovery document and keys and show the result."""

    http_method_names = ["post"]
    template_name = "courses/sso_admin/check.html"
    header_icon = "key"

    def get_page_title(self):
        return gettext("%(force)s: provider check") % {"force": self.provider.force.name}

    @cached_property
    def provider(self) -> IdentityProvider:
        return the_provider(self.kwargs["pk"])

    def post(self, request, pk):
        check = provider_check(self.provider.issuer_url)
        return self.render_to_response(self.get_context_data(provider=self.provider, check=check))


def admin_urls():
    return [
        path("sign-in-providers/", ProvidersView.as_view(), name=INDEX),
        path("sign-in-providers/add/", ProviderFormView.as_view(), name="courses_sso_provider_add"),
        path(
            "sign-in-providers/<int:pk>/",
            ProviderFormView.as_view(),
            name="courses_sso_provider_edit",
        ),
        path(
            "sign-in-providers/<int:pk>/check/",
            ProviderCheckView.as_view(),
            name="courses_sso_provider_check",
        ),
    ]


def menu_item():
    return AdministratorsMenuItem(
        _("Sign-in providers"), reverse(INDEX), name="sign-in-providers", icon_name="key", order=630
    )
