"""Enrolment from a force's HR file: upload and preview, apply once, purge.

The file is read by courses.enrolment_import (django-import-export, in chunks of
CHUNK_ROWS rows, so memory does not grow with the file). The preview writes nothing; applying
writes chunk by chunk, each chunk in its own transaction, then brings the chunk's learners'
required modules up to date (enrolments_sync). Rerunning a file changes nothing: every row is
then unchanged. If an apply stops halfway, uploading the file again finishes it.
"""

import datetime
import uuid
from collections.abc import Iterator

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext

from courses import audit
from courses.enrolment_import import (
    MAX_FILE_BYTES,
    EnrolmentResource,
    FileProblem,
    ImportState,
    read_hr_file,
    today,
)
from courses.models import (
    AuditAction,
    EnrolmentImport,
    EnrolmentImportStatus,
    Force,
    LearnerProfile,
)
from courses.services.enrolments import enrolments_sync

KEEP_FILES_FOR = datetime.timedelta(days=1)
DEACTIVATE_BATCH = 2000


class ImportStopped(Exception):
    """Applying could not go on; the message says what to do."""


def enrolment_import_create(
    *, force: Force, user, upload, deactivate_missing: bool
) -> EnrolmentImport:
    """Keep an uploaded HR file privately and preview it (nothing is written to learners).
    Raises FileProblem, keeping nothing, when the file cannot be read as a whole. The caller
    has checked that `user` may act for `force`."""
    name = (upload.name or "").strip()
    if upload.size > MAX_FILE_BYTES:
        raise FileProblem(
            gettext("The file is larger than %(mb)d MB. Split it into smaller files.")
            % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ("csv", "xlsx"):
        raise FileProblem(gettext("Upload a CSV file (.csv) or an Excel workbook (.xlsx)."))
    upload.seek(0)
    read_hr_file(upload, name)  # the header, before anything is stored
    upload.seek(0)
    imported = EnrolmentImport(
        force=force,
        created_by=user,
        original_name=name[-200:],
        deactivate_missing=deactivate_missing,
    )
    imported.file.save(f"{uuid.uuid4().hex}.{extension}", upload, save=False)
    try:
        imported.preview = _run(imported, dry_run=True)
    except FileProblem:
        imported.file.delete(save=False)
        raise
    imported.save()
    return imported


def enrolment_import_apply(*, enrolment_import: EnrolmentImport, user, path: str = "") -> dict:
    """Apply a previewed import once: a second call (or a second browser tab) does nothing
    and returns the first result. Audited (who, force; the counts are on the import)."""
    claimed = EnrolmentImport.objects.filter(
        pk=enrolment_import.pk, status=EnrolmentImportStatus.PREVIEWED
    ).update(status=EnrolmentImportStatus.APPLYING)
    enrolment_import.refresh_from_db()
    if not claimed:
        return enrolment_import.result
    if not enrolment_import.file:
        raise ImportStopped(gettext("The file is no longer kept. Upload it again."))
    try:
        result = _run(enrolment_import, dry_run=False)
    except (FileProblem, ImportStopped):
        # Rows already applied stay; the same file uploaded again shows them as unchanged.
        enrolment_import.status = EnrolmentImportStatus.PREVIEWED
        enrolment_import.save(update_fields=["status"])
        raise
    enrolment_import.file.delete(save=False)
    enrolment_import.result = result
    enrolment_import.status = EnrolmentImportStatus.APPLIED
    enrolment_import.applied_at = timezone.now()
    enrolment_import.save(update_fields=["file", "result", "status", "applied_at"])
    audit.audit_record(
        action=AuditAction.ENROLMENT_IMPORT,
        user_id=user.pk,
        force_code=enrolment_import.force.code,
        path=path,
    )
    return result


def enrolment_imports_purge(*, now: datetime.datetime | None = None) -> int:
    """Delete HR files kept longer than a day, and the rows (emails, reasons) of their
    reports; the counts stay. Idempotent. Returns how many imports were purged."""
    now = now or timezone.now()
    purged = 0
    old = EnrolmentImport.objects.filter(created_at__lt=now - KEEP_FILES_FOR).exclude(
        preview__has_key="purged"
    )
    for imported in old.iterator(chunk_size=200):
        if imported.file:
            imported.file.delete(save=False)
        for report in (imported.preview, imported.result):
            for rows in ("error_rows", "changes"):
                if rows in report:
                    report[rows] = []
        imported.preview["purged"] = True
        imported.save(update_fields=["file", "preview", "result"])
        purged += 1
    return purged


def _run(imported: EnrolmentImport, *, dry_run: bool) -> dict:
    force = imported.force
    state = ImportState(
        force=force,
        domains=tuple(force.email_domains.order_by("domain").values_list("domain", flat=True)),
        today=today(),
    )
    with imported.file.open("rb") as handle:
        hr_file = read_hr_file(handle, imported.original_name)
        for _first_row, chunk in hr_file.chunks():
            resource = EnrolmentResource(state=state)
            result = resource.import_data(chunk, dry_run=dry_run, use_transactions=not dry_run)
            if result.base_errors:
                raise ImportStopped(
                    gettext(
                        "The import stopped part way: the rows before it were saved. Upload the "
                        "same file again to finish; saved rows will show as unchanged."
                    )
                )
            if not dry_run and resource.profile_ids:
                enrolments_sync(profiles=LearnerProfile.objects.filter(pk__in=resource.profile_ids))
    missing = 0
    if imported.deactivate_missing:
        missing = _deactivate_missing(force, state.seen, dry_run=dry_run, today=state.today)
    return {
        **state.counts,
        "leaving": state.leaving,
        "deactivate": missing,
        "error_rows": state.errors,
        "changes": state.changes,
        "columns": hr_file.headers,
    }


def _missing(force: Force, seen: dict[str, int]) -> Iterator[tuple[int, int]]:
    """(profile id, user id) of the force's active learners whose address is not in the
    file. Staff, superusers, leads and erased learners are never among them."""
    learners = LearnerProfile.objects.filter(
        force=force,
        erased_at__isnull=True,
        user__is_active=True,
        user__is_staff=False,
        user__is_superuser=False,
        user__training_lead__isnull=True,
    ).values_list("pk", "user_id", "user__email")
    for profile_id, user_id, email in learners.iterator(chunk_size=DEACTIVATE_BATCH):
        if email.lower() not in seen:
            yield profile_id, user_id


def _deactivate_missing(force, seen, *, dry_run: bool, today: datetime.date) -> int:
    if dry_run:
        return sum(1 for _ in _missing(force, seen))
    missing = list(_missing(force, seen))  # ids only; rows change under the iterator
    for start in range(0, len(missing), DEACTIVATE_BATCH):
        batch = missing[start : start + DEACTIVATE_BATCH]
        profile_ids = [profile_id for profile_id, _ in batch]
        with transaction.atomic():
            get_user_model().objects.filter(pk__in=[user_id for _, user_id in batch]).update(
                is_active=False
            )
            LearnerProfile.objects.filter(pk__in=profile_ids).update(left_on=today)
        enrolments_sync(profiles=LearnerProfile.objects.filter(pk__in=profile_ids))
    return len(missing)
