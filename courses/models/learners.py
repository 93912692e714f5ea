from django.conf import settings
from django.db import models


def display_name(user) -> str:
    """How the site names a person (messages, emails, certificates): the name they registered
    with, else their email address. Never the username, which is made from the email address.
    allauth's ACCOUNT_USER_DISPLAY."""
    return user.get_full_name() or user.email


class LearnerRole(models.TextChoices):
    RESPONSE_OFFICER = "response-officer", "Response officer"
    PCSO = "pcso", "PCSO"
    CALL_HANDLER = "call-handler", "Call handler"
    STAFF = "staff", "Police staff"
    SUPERVISOR = "supervisor", "Supervisor"
    LEADER = "leader", "Senior leader"
    CHAMPION = "champion", "DA Matters champion"


class LearnerProfile(models.Model):
    """Who a learner is for reporting: their force and role. Email lives on the user."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="learner_profile"
    )
    force = models.ForeignKey(
        "courses.Force", on_delete=models.PROTECT, related_name="learner_profiles"
    )
    role = models.CharField(
        max_length=30, choices=LearnerRole.choices, default=LearnerRole.RESPONSE_OFFICER
    )
    staff_number = models.CharField(
        max_length=30, blank=True, help_text="Optional force staff or collar number."
    )
    team = models.CharField(
        max_length=120, blank=True, help_text="Optional team or unit, from the force's HR file."
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text="When the learner started in post, from the HR file. Required modules are "
        "due counted from this date or from joining the platform, whichever is later.",
    )
    left_on = models.DateField(
        null=True,
        blank=True,
        help_text="When the force said the learner left; their account is then deactivated.",
    )
    invited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When an invitation to set a password was sent to a learner added by a lead.",
    )
    optional_reminders = models.BooleanField(
        default=True,
        help_text="Whether the learner gets 'due soon' reminders. Overdue notices for "
        "required modules are always sent.",
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text="Set when personal data was erased on request."
    )

    class Meta:
        indexes = [models.Index(fields=["force", "role"], name="learner_force_role_idx")]

    def __str__(self) -> str:
        return f"Learner profile {self.pk}"


class Reflection(models.Model):
    """A learner's private answer to a reflection prompt; only the learner may read it."""

    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reflections"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage", on_delete=models.CASCADE, related_name="reflections"
    )
    block_id = models.CharField(max_length=64, help_text="The reflection prompt block's id.")
    text = models.TextField(max_length=10_000)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["learner", "lesson", "block_id"], name="reflection_unique_per_prompt"
            )
        ]

    def __str__(self) -> str:
        return f"Reflection {self.pk}"
