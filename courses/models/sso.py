"""Signing in through a force's own identity provider (OpenID Connect, e.g. Microsoft Entra ID).

One row per force that has connected its provider. django-allauth's OpenID Connect provider
runs the sign-in (authorization code with PKCE, state); courses.sso_adapter gives it one app
per enabled row (`provider_id` below), with the client secret decrypted only in memory.
"""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from .xapi import env_name_validator


class IdentityProvider(models.Model):
    """A force's OpenID Connect provider. The force is decided by the provider a person came
    through, never by a claim; their email must be at one of the force's email domains."""

    force = models.OneToOneField(
        "courses.Force", on_delete=models.CASCADE, related_name="identity_provider"
    )
    enabled = models.BooleanField(
        default=True, help_text=_("Untick to stop offering sign-in through this provider.")
    )
    display_name = models.CharField(
        max_length=80,
        blank=True,
        help_text=_("How the button names it: 'Sign in with <this>'. Blank: the force's name."),
    )
    issuer_url = models.URLField(
        max_length=300,
        verbose_name=_("issuer URL"),
        help_text=_(
            "The provider's issuer, whose /.well-known/openid-configuration describes it. "
            "For Microsoft Entra ID: https://login.microsoftonline.com/<tenant id>/v2.0"
        ),
    )
    client_id = models.CharField(
        max_length=200,
        verbose_name=_("client ID"),
        help_text=_("The application (client) ID the provider gave this platform."),
    )
    # A Fernet token (courses.encryption); never shown again once saved.
    secret_encrypted = models.TextField(blank=True, editable=False)
    secret_env = models.CharField(
        max_length=100,
        blank=True,
        validators=[env_name_validator],
        verbose_name=_("client secret from environment variable"),
        help_text=_(
            "Instead of storing the client secret here, name the environment variable "
            "that holds it on the servers."
        ),
    )
    password_sign_in = models.BooleanField(
        default=True,
        verbose_name=_("password sign-in stays allowed"),
        help_text=_("Untick so that the force's people can only sign in through the provider."),
    )
    role_claim = models.CharField(
        max_length=100,
        blank=True,
        help_text=_(
            "A claim that carries the person's job role, if the force maps one. Blank: "
            "learners choose their role once, at their first sign-in."
        ),
    )
    role_map = models.JSONField(
        default=dict,
        blank=True,
        help_text=_('The claim\'s values and the roles they mean, e.g. {"PCSO": "pcso"}.'),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("identity provider")

    def __str__(self) -> str:
        return f"Identity provider of {self.force_id}"

    @property
    def provider_id(self) -> str:
        """allauth's id of this provider (SocialAccount.provider for its people): the force's
        code, which never changes."""
        return f"force-{self.force.code}"
