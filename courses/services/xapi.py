"""A force's LRS connection: saving it (the secret encrypted) and sending dead letters again.

Both are audited with the force's code and the administrator's id, never the secret.
Sending itself is courses.xapi.delivery.
"""

from django.db import transaction
from django.utils import timezone

from courses import audit
from courses.models import AuditAction, LrsConnection, OutboxState, XapiOutbox
from courses.xapi.secrets import encrypt


@transaction.atomic
def lrs_connection_save(
    *, connection: LrsConnection, secret: str = "", user=None, path: str = ""
) -> LrsConnection:
    """Save a connection (new or changed). A non-empty `secret` replaces the stored one
    (encrypted); an empty one keeps it. Naming an environment variable (`secret_env`)
    removes any stored secret, so only one source of the password exists."""
    if connection.secret_env:
        connection.secret_encrypted = ""
    elif secret:
        connection.secret_encrypted = encrypt(secret)
    connection.updated_by = user
    connection.save()
    audit.audit_record(
        action=AuditAction.LRS_CONNECTION_SAVED,
        user_id=getattr(user, "pk", None),
        force_code=connection.force.code,
        path=path,
    )
    return connection


@transaction.atomic
def outbox_retry(*, connection: LrsConnection, entry_ids=None, user=None, path: str = "") -> int:
    """Make the connection's dead letters (or only those among `entry_ids`) due again with
    their attempts reset; returns how many. Ids of other connections or of rows that are
    not dead are ignored. Audited when anything changed."""
    rows = XapiOutbox.objects.filter(connection=connection, state=OutboxState.DEAD)
    if entry_ids is not None:
        rows = rows.filter(pk__in=list(entry_ids))
    count = rows.update(state=OutboxState.PENDING, attempts=0, next_attempt_at=timezone.now())
    if count:
        audit.audit_record(
            action=AuditAction.LRS_RETRY,
            user_id=getattr(user, "pk", None),
            force_code=connection.force.code,
            path=path,
        )
    return count
