from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ApiKey(models.Model):
    """A training manager's key. Only a hash is stored; the key is shown once on creation."""

    name = models.CharField(max_length=120, help_text=_("Who or what uses this key."))
    prefix = models.CharField(
        max_length=16, unique=True, editable=False, help_text=_("Visible start of the key.")
    )
    key_hash = models.CharField(max_length=128, editable=False)
    forces = models.ManyToManyField(
        "courses.Force", related_name="api_keys", help_text=_("Forces whose data the key may read.")
    )
    can_write = models.BooleanField(
        default=False,
        verbose_name=_("write scope"),
        help_text=_(
            "Keys are read-only unless this is ticked. With it, the key may also set its "
            "forces' headcounts (PUT /api/v1/forces/<code>/headcount/)."
        ),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API key")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class ApiAccessLog(models.Model):
    """Every read of learner data through a key: who read what, with which filters, how much."""

    key = models.ForeignKey(ApiKey, on_delete=models.PROTECT, related_name="access_logs")
    force = models.ForeignKey(
        "courses.Force", null=True, on_delete=models.PROTECT, related_name="+"
    )
    endpoint = models.CharField(max_length=200)
    filters = models.JSONField(default=dict, blank=True)
    row_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("API access log entry")
        verbose_name_plural = _("API access log")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.endpoint} at {self.created_at:%Y-%m-%d %H:%M}"
