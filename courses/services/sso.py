"""A force's identity provider (OpenID Connect): saving its connection, audited with the force's
code and the administrator's id, never the secret."""

from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from courses import audit
from courses.encryption import encrypt
from courses.models import JOB_ROLES, AuditAction, Force, IdentityProvider

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
ROLES = dict(JOB_ROLES)
ROLE_CLAIM_MISSING = _("Name the claim whose values the role map lists.")
NO_SECRET_MESSAGE = _(
    "Enter the client secret, or name the environment variable that holds it on the servers."
)


def role_map_check(role_map) -> None:
    """Raise ValidationError unless `role_map` maps claim values (strings) to job roles: a
    value mapping to no role would sign people in with a role that does not exist."""
    if not isinstance(role_map, dict) or not all(
        isinstance(key, str) and isinstance(value, str) for key, value in role_map.items()
    ):
        raise ValidationError(
            gettext(
                "Enter the role map as a JSON object of the claim's values and roles, e.g. "
                '{"PCSO": "pcso"}.'
            ),
            code="invalid",
        )
    unknown = sorted(set(role_map.values()) - set(ROLES))
    if unknown:
        raise ValidationError(
            gettext("Not a role: %(unknown)s. Use one of %(roles)s.")
            % {"unknown": ", ".join(unknown), "roles": ", ".join(ROLES)},
            code="invalid",
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
    try:
        role_map_check(provider.role_map)
    except ValidationError as e:
        raise ValidationError({"role_map": e.messages}) from e
    if provider.role_map and not provider.role_claim:
        raise ValidationError({"role_claim": ROLE_CLAIM_MISSING})
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
