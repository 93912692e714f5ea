"""Which forces sign their people in through their own OpenID Connect provider."""

from courses.models import IdentityProvider

from .learners import force_for_email


def sso_providers() -> list[IdentityProvider]:
    """The enabled providers of active forces, with their force, by force name. One query."""
    return list(
        IdentityProvider.objects.filter(enabled=True, force__is_active=True)
        .select_related("force")
        .order_by("force__name")
    )


def sso_provider_for_email(email: str) -> IdentityProvider | None:
    """The enabled provider of the force this address's domain belongs to, else None.
    Only the domain is read: the answer is the same whether or not the address has an
    account, so it says nothing about who is registered."""
    force = force_for_email(email or "")
    if force is None:
        return None
    return (
        IdentityProvider.objects.filter(force=force, enabled=True).select_related("force").first()
    )
