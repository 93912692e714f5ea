from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.translation import gettext_lazy as _


def private_storage() -> FileSystemStorage:
    """Where uploaded HR files wait between preview and apply: PRIVATE_MEDIA_ROOT, outside
    MEDIA_ROOT and with no base URL, so no URL ever serves them."""
    return FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


class EnrolmentImportStatus(models.TextChoices):
    PREVIEWED = "previewed", _("Previewed")
    APPLYING = "applying", _("Being applied")
    APPLIED = "applied", _("Applied")


class EnrolmentImport(models.Model):
    """One HR file uploaded by a training lead for one force: previewed, then applied once.

    The file is kept privately only between preview and apply (deleted when applied, or after
    a day by `send_invitations`); `preview` and `result` hold the counts and, until the purge,
    the rows with errors (row number, email, reason)."""

    force = models.ForeignKey("courses.Force", on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    file = models.FileField(storage=private_storage, upload_to="enrolment-imports/", blank=True)
    original_name = models.CharField(max_length=200)
    deactivate_missing = models.BooleanField(default=False)
    status = models.CharField(
        max_length=12,
        choices=EnrolmentImportStatus.choices,
        default=EnrolmentImportStatus.PREVIEWED,
    )
    preview = models.JSONField(default=dict)
    result = models.JSONField(default=dict)
    created_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("enrolment import")
        indexes = [models.Index(fields=["created_at"], name="enrolmentimport_created_idx")]

    def __str__(self) -> str:
        return f"Enrolment import {self.pk}"
