"""Learners' personal data: export, erasure, and purging the old event ledger."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from courses import audit, privacy
from courses.models import AuditAction, ErasedEmail, ProgressEvent
from courses.xapi import outbox

ERASED_EMAIL_DOMAIN = "@erased.invalid"  # RFC 2606: can never receive mail
PURGE_BATCH_SIZE = 5000


class ErasureRefused(Exception):
    """The account may not be erased this way (e.g. a superuser); nothing was changed."""


@dataclass(frozen=True)
class ErasureResult:
    user_id: int
    already_erased: bool  # True when an earlier erasure had done the work


def learner_export(*, user, requested_by=None, path: str = "") -> dict:
    """Everything held about `user` as a learner, JSON-ready: account, profile, progress,
    certificates, knowledge-check results, events and reflections, per privacy.RULES.

    Records a data-export audit entry (who asked, whose data). Reads only; the entry is the
    only write."""
    data = {
        "format": "da-matters-learner-export/1",
        "exported_at": timezone.now().isoformat(),
        "account": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "date_joined": user.date_joined.isoformat(),
            "last_login": user.last_login.isoformat() if user.last_login else None,
        },
    }
    for rule in privacy.RULES.values():
        if rule.export is not None:
            data[rule.section] = rule.export(user)
    requester = requested_by if requested_by is not None else user
    audit.audit_record(
        action=AuditAction.DATA_EXPORT,
        user_id=requester.pk,
        subject_user_id=user.pk,
        path=path,
    )
    return data


@transaction.atomic
def learner_erase(*, user, erased_by=None) -> ErasureResult:
    """Erase a learner's personal data, keeping their progress anonymised.

    Guarantees, in one transaction: names, email and username replaced; the password made
    unusable and the account deactivated (sign-in impossible; the password hash changed, which
    ends existing sessions); a keyed hash of every address the account used is kept
    so the address cannot register again; each privacy.RULES erase rule applied (reflections
    deleted, staff number removed, certificate codes withdrawn); progress
    rows kept with their force, so force totals do not change; an audit entry written. Safe to
    run again: a second run finds nothing personal left and only records the attempt. Refuses
    superusers."""
    if user.is_superuser:
        raise ErasureRefused(
            gettext(
                "This account is a superuser. Remove its superuser status first, then erase it."
            )
        )
    already = user.email.endswith(ERASED_EMAIL_DOMAIN) and not user.is_active
    if not already:
        addresses = {user.email, *user.emailaddress_set.values_list("email", flat=True)}
        ErasedEmail.objects.bulk_create(
            [ErasedEmail(email_hash=privacy.email_hash(a)) for a in addresses if a],
            ignore_conflicts=True,
        )
    for rule in privacy.RULES.values():
        if rule.erase is not None:
            rule.erase(user)
    # Nothing more goes to the force's LRS for them (what was sent before stays there).
    if outbox.outbox_cancel_for_learner(user):
        audit.audit_record(
            action=AuditAction.XAPI_CANCELLED,
            user_id=erased_by.pk if erased_by is not None else None,
            subject_user_id=user.pk,
        )
    user.email = f"erased-{user.pk}{ERASED_EMAIL_DOMAIN}"
    user.username = f"erased-{user.pk}"
    user.first_name = user.last_name = ""
    user.is_active = user.is_staff = False
    user.set_unusable_password()
    user.save()
    user.groups.clear()
    user.user_permissions.clear()
    audit.audit_record(
        action=AuditAction.ERASURE,
        user_id=erased_by.pk if erased_by is not None else None,
        subject_user_id=user.pk,
    )
    return ErasureResult(user_id=user.pk, already_erased=already)


def progress_events_purge(*, older_than: datetime, dry_run: bool = False) -> int:
    """Delete ledger events recorded before `older_than`, in batches; return how many (or, with
    dry_run, how many would go). Aggregates (lesson, module, check rows) are separate tables
    and are not touched, so dashboards and force reports do not change."""
    old = ProgressEvent.objects.filter(recorded_at__lt=older_than)
    if dry_run:
        return old.count()
    deleted = 0
    while True:
        # Batches keep each transaction (and its locks) short on a large ledger.
        batch = list(old.values_list("pk", flat=True)[:PURGE_BATCH_SIZE])
        if not batch:
            return deleted
        with transaction.atomic():
            deleted += ProgressEvent.objects.filter(pk__in=batch).delete()[0]
