from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditAction(models.TextChoices):
    SIGN_IN = "sign-in", _("Sign-in")
    SIGN_IN_FAILED = "sign-in-failed", _("Sign-in failed")
    ACCESS_DENIED = "access-denied", _("Access denied")
    DATA_EXPORT = "data-export", _("Personal data export")
    ERASURE = "erasure", _("Personal data erasure")
    LEARNER_MOVED_OUT = "learner-moved-out", _("Learner moved out of a force")
    LEARNER_MOVED_IN = "learner-moved-in", _("Learner moved into a force")
    LEAD_GRANTED = "lead-granted", _("Training lead given a force")
    LEAD_REVOKED = "lead-revoked", _("Training lead's force taken away")
    ENROLMENT_IMPORT = "enrolment-import", _("Learners enrolled from an HR file")
    # Evidence of cultural change.
    HEADCOUNT_SET = "headcount-set", _("Headcount set")
    CRITICAL_MASS_PLAN_SAVED = "critical-mass-plan", _("Critical-mass plan saved")
    CHAMPION_JOINED = "champion-joined", _("Learner volunteered as a Champion")
    CHAMPION_LEFT = "champion-left", _("Learner stepped down as a Champion")
    CHAMPION_REMOVED = "champion-removed", _("Lead removed a learner's Champion status")
    EVALUATOR_FILE = "evaluator-file", _("Evaluator's file downloaded")
    # xAPI.
    LRS_CONNECTION_SAVED = "lrs-saved", _("LRS connection saved")
    LRS_RETRY = "lrs-retry", _("Failed xAPI deliveries sent again")
    XAPI_CANCELLED = "xapi-cancelled", _("xAPI deliveries cancelled by an erasure")
    # Sign-in through a force's identity provider.
    SSO_SIGN_IN = "sso-sign-in", _("Signed in through the force's identity provider")
    SSO_REFUSED = "sso-refused", _("Sign-in through an identity provider refused")
    IDENTITY_PROVIDER_SAVED = "idp-saved", _("Identity provider saved")


class AuditEvent(models.Model):
    """A security-relevant event. Holds identifiers only (user id, key prefix, force code,
    path): never a password, a key, an email address, reflection text or other content."""

    action = models.CharField(max_length=20, choices=AuditAction.choices)
    # Plain ids, not foreign keys: the trail must outlive the account and an erasure.
    user_id = models.BigIntegerField(null=True, blank=True, help_text=_("Who acted (user id)."))
    subject_user_id = models.BigIntegerField(
        null=True, blank=True, help_text=_("Whose data was exported or erased (user id).")
    )
    api_key_prefix = models.CharField(max_length=16, blank=True)
    force_code = models.CharField(max_length=40, blank=True)
    path = models.CharField(max_length=200, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["action", "created_at"], name="audit_action_time_idx")]

    def __str__(self) -> str:
        return f"{self.action} at {self.created_at:%Y-%m-%d %H:%M}"


class ErasedEmail(models.Model):
    """A keyed hash of an erased learner's email address: it cannot register again, and the
    address itself is not kept."""

    email_hash = models.CharField(max_length=64, unique=True)
    erased_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("erased email address")

    def __str__(self) -> str:
        return f"Erased address {self.pk}"
