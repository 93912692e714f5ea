"""What the evidence of cultural change is measured against: each force's critical-mass plan
(launch date, first-responder roles, targets) and its headcounts by role over time."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from .learners import JOB_ROLES, LearnerRole

# SafeLives staff who see every force's evidence (aggregates only, never a learner).
PROGRAMME_EVALUATORS_GROUP = "Programme evaluators"

# Figures computed from fewer learners than this are suppressed everywhere ("fewer than 10").
K_ANONYMITY = 10

# A national median needs this many forces' figures, so that no force can work out another's.
BENCHMARK_MIN_FORCES = 5

DEFAULT_FIRST_RESPONDER_ROLES = [
    LearnerRole.RESPONSE_OFFICER.value,
    LearnerRole.PCSO.value,
    LearnerRole.CALL_HANDLER.value,
    LearnerRole.SUPERVISOR.value,
]


def default_first_responder_roles() -> list[str]:
    return list(DEFAULT_FIRST_RESPONDER_ROLES)


class CriticalMassPlan(models.Model):
    """A force's DA Matters launch and its targets. A force without one uses the defaults
    (selectors.critical_mass_plan returns an unsaved plan with them)."""

    force = models.OneToOneField(
        "courses.Force", on_delete=models.CASCADE, related_name="critical_mass_plan"
    )
    launch_date = models.DateField(
        null=True, blank=True, help_text=_("The day the force launched DA Matters.")
    )
    first_responder_roles = models.JSONField(
        default=default_first_responder_roles,
        help_text=_("The roles (LearnerRole values) that count as first responders."),
    )
    target_percent = models.PositiveSmallIntegerField(
        default=75,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Share of first responders to train for critical mass, in per cent."),
    )
    window_days = models.PositiveSmallIntegerField(
        default=91,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Days after launch by which the target share should be trained."),
    )
    champion_target_percent = models.PositiveSmallIntegerField(
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Champions wanted, as a share of learners trained, in per cent."),
    )
    updated_at = models.DateTimeField(auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    def __str__(self) -> str:
        return f"Critical-mass plan {self.pk}"


class HeadcountSource(models.TextChoices):
    ADMIN = "admin", _("Admin")
    API = "api", _("API")


class Headcount(models.Model):
    """How many people a force had in a role on a date: the denominator of critical mass.
    History is kept, one figure per (force, role, date); reports use the latest figure on or
    before the date they describe. Setting the same date again replaces that day's figure."""

    force = models.ForeignKey("courses.Force", on_delete=models.CASCADE, related_name="headcounts")
    role = models.CharField(max_length=30, choices=JOB_ROLES)
    count = models.PositiveIntegerField(validators=[MaxValueValidator(500_000)])
    as_of = models.DateField(help_text=_("The date the headcount was true."))
    source = models.CharField(max_length=10, choices=HeadcountSource.choices)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    api_key = models.ForeignKey(
        "courses.ApiKey", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["force", "role", "-as_of"]
        constraints = [
            models.UniqueConstraint(
                fields=["force", "role", "as_of"], name="headcount_unique_per_day"
            )
        ]

    def __str__(self) -> str:
        return f"Headcount {self.pk}"
