"""Managers' API keys: issue, revoke, record use, and log every read of learner data."""

import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext

from courses.models import ApiAccessLog, ApiKey, Force


@dataclass(frozen=True)
class IssuedApiKey:
    """A newly created key. `key` is the only copy of the secret: show it once, never store it."""

    api_key: ApiKey
    key: str


API_KEY_PREFIX_BYTES = 4  # 8 hex characters: visible, unique, not secret.
API_KEY_SECRET_BYTES = 32  # 256 bits, so a fast keyed hash is enough (no PBKDF2).
API_KEY_HASH_SALT = "courses.ApiKey"


def api_key_hash(key: str, *, secret: str | None = None) -> str:
    """HMAC-SHA256 of a whole key, keyed with SECRET_KEY (or the given secret)."""
    return salted_hmac(API_KEY_HASH_SALT, key, secret=secret, algorithm="sha256").hexdigest()


@transaction.atomic
def api_key_create(
    *,
    name: str,
    forces: Iterable[Force],
    created_by=None,
    expires_at: datetime | None = None,
    can_write: bool = False,
) -> IssuedApiKey:
    """Create a key that may read `forces` (and, with `can_write`, set their headcounts);
    store only its prefix and hash.

    Returns the key `<prefix>.<secret>` once. Raises ValueError without forces: a key that
    reads nothing is a mistake, and a key that reads everything is not offered.
    """
    forces = list(forces)
    if not forces:
        raise ValueError(gettext("An API key must name at least one force."))
    if expires_at is not None and expires_at <= timezone.now():
        raise ValueError(gettext("The expiry date must be in the future."))
    prefix = secrets.token_hex(API_KEY_PREFIX_BYTES)
    while ApiKey.objects.filter(prefix=prefix).exists():  # 1 in 4 billion; cheap to be sure
        prefix = secrets.token_hex(API_KEY_PREFIX_BYTES)
    key = f"{prefix}.{secrets.token_urlsafe(API_KEY_SECRET_BYTES)}"
    api_key = ApiKey.objects.create(
        name=name,
        prefix=prefix,
        key_hash=api_key_hash(key),
        created_by=created_by,
        expires_at=expires_at,
        can_write=can_write,
    )
    api_key.forces.set(forces)
    return IssuedApiKey(api_key=api_key, key=key)


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    """Revoke a key from now on. Idempotent: the first revocation time is kept."""
    ApiKey.objects.filter(pk=api_key.pk, revoked_at__isnull=True).update(revoked_at=timezone.now())
    api_key.refresh_from_db(fields=["revoked_at"])
    return api_key


API_KEY_LAST_USED_RESOLUTION = timedelta(minutes=1)


def api_key_touch(*, api_key: ApiKey, now: datetime | None = None) -> None:
    """Record use of a key at most once a minute, so that reads rarely write."""
    now = now or timezone.now()
    if api_key.last_used_at and now - api_key.last_used_at < API_KEY_LAST_USED_RESOLUTION:
        return
    ApiKey.objects.filter(pk=api_key.pk).update(last_used_at=now)
    api_key.last_used_at = now


def api_access_log_record(
    *, api_key: ApiKey, force: Force | None, endpoint: str, filters: dict, row_count: int
) -> ApiAccessLog:
    """Record one read of learner data through a key (one INSERT)."""
    return ApiAccessLog.objects.create(
        key=api_key,
        force=force,
        endpoint=endpoint,
        filters=filters,
        row_count=row_count,
        created_at=timezone.now(),
    )


def api_access_log_set_row_count(*, entry: ApiAccessLog, row_count: int) -> None:
    """Set the rows actually sent, for streamed reads whose size is known only at the end."""
    ApiAccessLog.objects.filter(pk=entry.pk).update(row_count=row_count)
    entry.row_count = row_count
