import uuid

from django.conf import settings
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


def display_name(user) -> str:
    """How the site names a person (messages, emails, certificates): the name they registered
    with, else their email address. Never the username, which is made from the email address.
    allauth's ACCOUNT_USER_DISPLAY."""
    return user.get_full_name() or user.email


class LearnerRole(models.TextChoices):
    RESPONSE_OFFICER = "response-officer", _("Response officer")
    PCSO = "pcso", _("PCSO")
    CALL_HANDLER = "call-handler", _("Call handler")
    STAFF = "staff", _("Police staff")
    SUPERVISOR = "supervisor", _("Supervisor")
    LEADER = "leader", _("Senior leader")
    # Only for learners whose job role the platform does not know (those recorded as
    # "DA Matters champion" before Champions became a flag). Never offered at registration.
    NOT_GIVEN = "not-given", _("Not given")


# The job roles a learner can choose, and a pathway or a headcount can be set for.
JOB_ROLES = [(value, label) for value, label in LearnerRole.choices if value != "not-given"]

# Coarse groups of roles that survey results and the evaluator's file are reported by: coarse
# enough that groups reach the k-anonymity threshold, fine enough to tell the front line from
# the rest. Every role is in exactly one group.
ROLE_GROUPS: dict[str, tuple[str | Promise, tuple[str, ...]]] = {
    "frontline": (
        _("Front line (response officers, PCSOs, call handlers)"),
        (LearnerRole.RESPONSE_OFFICER, LearnerRole.PCSO, LearnerRole.CALL_HANDLER),
    ),
    "supervisors-leaders": (
        _("Supervisors and senior leaders"),
        (LearnerRole.SUPERVISOR, LearnerRole.LEADER),
    ),
    "staff-other": (
        _("Police staff and role not given"),
        (LearnerRole.STAFF, LearnerRole.NOT_GIVEN),
    ),
}


def role_group(role: str) -> str:
    """The ROLE_GROUPS key a role belongs to."""
    return next(key for key, (_, roles) in ROLE_GROUPS.items() if role in roles)


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
        max_length=30, blank=True, help_text=_("Optional force staff or collar number.")
    )
    team = models.CharField(
        max_length=120, blank=True, help_text=_("Optional team or unit, from the force's HR file.")
    )
    start_date = models.DateField(
        null=True,
        blank=True,
        help_text=_(
            "When the learner started in post, from the HR file. Required modules are "
            "due counted from this date or from joining the platform, whichever is later."
        ),
    )
    left_on = models.DateField(
        null=True,
        blank=True,
        help_text=_("When the force said the learner left; their account is then deactivated."),
    )
    invited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("When an invitation to set a password was sent to a learner added by a lead."),
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_(
            "The language the learner chose for the site and their emails; empty until "
            "they choose (then: Welsh first for a force in Wales, else the browser's)."
        ),
    )
    optional_reminders = models.BooleanField(
        default=True,
        help_text=_(
            "Whether the learner gets 'due soon' reminders. Overdue notices for "
            "required modules are always sent."
        ),
    )
    # The learner's name in xAPI statements (an account on this site): random, so it says
    # nothing about the person, and stable, so a force's LRS can follow one learner.
    xapi_id = models.UUIDField(
        unique=True, default=uuid.uuid4, editable=False, verbose_name=_("xAPI learner id")
    )
    champion_since = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_(
            "Set when the learner volunteered as a DA Matters Champion (after completing "
            "their pathway); empty if they are not one. A Champion keeps their job role."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    erased_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when personal data was erased on request.")
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
    block_id = models.CharField(max_length=64, help_text=_("The reflection prompt block's id."))
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
