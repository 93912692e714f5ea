"""What the administrators-only admin screens share (courses.xapi_admin, courses.sso_admin):
the superuser check, their menu item, and a write-only secret on a form whose model keeps it
encrypted (`secret_encrypted`) or names an environment variable (`secret_env`)."""

from django import forms
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.admin.menu import MenuItem

KEEP_SAVED_HELP = _(
    "Leave blank to keep the saved secret. A new one replaces it; it is stored encrypted and "
    "never shown again."
)


class AdministratorsOnlyMixin:
    """Superusers only: 403 for everyone else (training leads and editors included)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_superuser:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class AdministratorsMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser


class WriteOnlySecretMixin:
    """For a ModelForm with a `secret` field (never rendered back) beside the model's
    `secret_env`: one of the two, not both; blank keeps a secret already saved. Subclasses
    word the two errors."""

    missing_source_message = ""
    both_sources_message = ""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.fields["secret"].help_text = KEEP_SAVED_HELP

    def clean(self):
        cleaned = super().clean()
        secret, secret_env = cleaned.get("secret"), cleaned.get("secret_env")
        if secret and secret_env:
            self.add_error("secret", self.both_sources_message)
        elif not (secret or secret_env or self.instance.secret_encrypted) and (
            "secret_env" not in self.errors
        ):
            self.add_error("secret", self.missing_source_message)
        return cleaned


def write_only_secret_field(label: str, help_text: str) -> forms.CharField:
    return forms.CharField(
        required=False,
        strip=False,
        max_length=500,
        widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
        label=label,
        help_text=help_text,
    )
