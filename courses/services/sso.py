"""A force's identity provider (OpenID Connect): saving its connection, audited with the force's
code and the administrator's id, never the secret."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction

from courses import audit
from courses.encryption import encrypt
from courses.models import AuditAction, Force, IdentityProvider

# The fields an administrator sets; the secret travels separately and is never read back.
IDENTITY_PROVIDER_FIELDS = (
    "enabled",
    "display_name",
    "issuer_url",
    "client_id",
    "secret_env",
    "password_sign_in",
    "role_claim",
    "role_map",
)
NO_SECRET_MESSAGE = (
    "Enter the client secret, or name the environment variable that holds it on the servers."  # noqa: S105
)


@transaction.atomic
def identity_provider_save(
    *, force: Force, data: Mapping, secret: str = "", user=None, path: str = ""
) -> IdentityProvider:
    """Create or change the force's provider from `data` (the fields above; others ignored).

    A non-empty `secret` replaces the stored one (encrypted); an empty one keeps it. Naming an
    environment variable removes any stored secret, so only one source of it exists. Raises
    ValidationError (nothing saved) when the values are invalid or no secret would be left."""
    provider = IdentityProvider.objects.filter(force=force).first() or IdentityProvider(force=force)
    for name in IDENTITY_PROVIDER_FIELDS:
        if name in data:
            setattr(provider, name, data[name])
    provider.issuer_url = (provider.issuer_url or "").strip().rstrip("/")
    if provider.secret_env:
        provider.secret_encrypted = ""
    elif secret:
        provider.secret_encrypted = encrypt(secret)
    if not provider.secret_env and not provider.secret_encrypted:
        raise ValidationError({"secret": NO_SECRET_MESSAGE})
    if not isinstance(provider.role_map, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in provider.role_map.items()
    ):
        raise ValidationError({"role_map": "Give the role map as claim values and roles."})
    provider.full_clean(exclude=["force"])
    provider.updated_by = user
    provider.save()
    audit.audit_record(
        action=AuditAction.IDENTITY_PROVIDER_SAVED,
        user_id=getattr(user, "pk", None),
        force_code=force.code,
        path=path,
    )
    return provider
