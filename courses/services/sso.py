"""Saving a force's identity provider: the client secret encrypted, the save audited with the
force's code and the administrator's id, never the secret."""

from django.db import transaction

from courses import audit
from courses.encryption import encrypt
from courses.models import AuditAction, IdentityProvider

FIELDS = (
    "enabled",
    "display_name",
    "issuer_url",
    "client_id",
    "secret_env",
    "password_sign_in",
    "role_claim",
    "role_map",
)


@transaction.atomic
def identity_provider_save(
    *, force, secret: str = "", user=None, path: str = "", **data
) -> IdentityProvider:
    """Create or change the force's provider from `data` (the model's editable fields). A
    non-empty `secret` replaces the stored one (encrypted); an empty one keeps it. Naming an
    environment variable (`secret_env`) removes any stored secret, so there is one source."""
    unknown = set(data) - set(FIELDS)
    if unknown:
        raise TypeError(f"Not a field of an identity provider: {', '.join(sorted(unknown))}")
    provider = IdentityProvider.objects.filter(force=force).first() or IdentityProvider(force=force)
    for name, value in data.items():
        setattr(provider, name, value)
    if provider.secret_env:
        provider.secret_encrypted = ""
    elif secret:
        provider.secret_encrypted = encrypt(secret)
    provider.updated_by = user
    provider.save()
    audit.audit_record(
        action=AuditAction.IDENTITY_PROVIDER_SAVED,
        user_id=getattr(user, "pk", None),
        force_code=force.code,
        path=path,
    )
    return provider
