"""Forces' identity providers (OpenID Connect): which ones are offered, and whose an email is."""

from django.utils.translation import gettext

from courses.encryption import configured_secret
from courses.models import IdentityProvider

PROVIDER_ID_PREFIX = "force-"


def sso_providers() -> list[IdentityProvider]:
    """The enabled providers of active forces, with their force, by force name. One query."""
    return list(
        IdentityProvider.objects.filter(enabled=True, force__is_active=True)
        .select_related("force")
        .order_by("force__name")
    )


def sso_provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider of the active force whose email domains include this address's
    domain, else None (no such force, or it has not connected one). One query."""
    domain = (email or "").rsplit("@", 1)[-1].strip().lower()
    if "@" not in (email or "") or not domain:
        return None
    return (
        IdentityProvider.objects.filter(
            enabled=True, force__is_active=True, force__email_domains__domain=domain
        )
        .select_related("force")
        .first()
    )


def password_sign_in_refused(email) -> str:
    """The message for an address whose force has turned password sign-in off, else "".
    One query."""
    provider = sso_provider_for_email(email) if isinstance(email, str) else None
    if provider is None or provider.password_sign_in:
        return ""
    name = provider.display_name or provider.force.name
    return gettext(
        "%(force)s signs its people in through its own service: use Sign in with %(name)s."
    ) % {"force": provider.force.name, "name": name}


def sso_provider_by_id(provider_id: str) -> IdentityProvider | None:
    """The enabled provider whose allauth id is `provider_id` ("force-<code>"), else None.
    One query."""
    if not provider_id.startswith(PROVIDER_ID_PREFIX):
        return None
    code = provider_id.removeprefix(PROVIDER_ID_PREFIX)
    return (
        IdentityProvider.objects.filter(enabled=True, force__is_active=True, force__code=code)
        .select_related("force")
        .first()
    )


def force_email_domains(force) -> set[str]:
    """The force's email domains, lower case. One query."""
    return {d.lower() for d in force.email_domains.values_list("domain", flat=True)}


def sso_client_secret(provider: IdentityProvider) -> str:
    """The client secret, in memory only: from the named environment variable, else the stored
    one decrypted. Raises encryption.SecretUnavailable when neither can be read."""
    return configured_secret(provider, missing="No client secret has been saved.")
