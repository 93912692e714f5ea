from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# The Wagtail group whose members may use the admin as force training leads (data migration
# courses/0020). Membership alone shows no learner data: a lead's forces come only from their
# TrainingLead row.
TRAINING_LEADS_GROUP = "Force training leads"


class TrainingLead(models.Model):
    """A force training lead: a staff account that sees and changes only these forces'
    learners, enrolments, headcounts and reports in the admin. Granted by superusers."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="training_lead"
    )
    forces = models.ManyToManyField(
        "courses.Force",
        related_name="training_leads",
        help_text=_("The forces whose learners this lead may see and change."),
    )
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("force training lead")

    def __str__(self) -> str:
        return f"Training lead {self.pk}"
