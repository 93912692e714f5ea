from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class ReminderKind(models.TextChoices):
    DUE_SOON = "due-soon", _("Required module due within 7 days")
    OVERDUE = "overdue", _("Required module overdue")
    LEAD_DIGEST = "lead-digest", _("Weekly overdue digest for a training lead")


LEARNER_KINDS = [ReminderKind.DUE_SOON, ReminderKind.OVERDUE]


class Reminder(models.Model):
    """One reminder email sent: the record that makes sending idempotent. The database allows
    one learner reminder and one lead digest per person per week."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminders"
    )
    kind = models.CharField(max_length=20, choices=ReminderKind.choices)
    week = models.DateField(help_text=_("Monday of the UK week the reminder belongs to."))
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["user", "week"],
                condition=Q(kind__in=LEARNER_KINDS),
                name="reminder_learner_weekly",
            ),
            models.UniqueConstraint(
                fields=["user", "week"],
                condition=Q(kind=ReminderKind.LEAD_DIGEST),
                name="reminder_lead_weekly",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} reminder {self.pk}"
