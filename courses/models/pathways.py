from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import Orderable

from .learners import JOB_ROLES

# The roles a pathway can be set for: every job role.
PATHWAY_ROLES = JOB_ROLES


class Pathway(ClusterableModel):
    """The modules a role must take, in order, each due a number of days after enrolment.

    A learner's required modules are the ModuleProgress rows that courses.services.enrolments
    marks `required` from their role's pathway, with `enrolled_at` and `due_at`."""

    role = models.CharField(
        max_length=30,
        choices=PATHWAY_ROLES,
        unique=True,
        help_text=_("Everyone with this role must take the modules below."),
        error_messages={
            "unique": "There is already a pathway for this role. Edit that one instead."
        },
    )

    panels = [
        FieldPanel("role"),
        InlinePanel(
            "steps",
            label="Required modules",
            help_text=_("In the order learners should take them."),
        ),
    ]

    class Meta:
        ordering = ["role"]

    def __str__(self) -> str:
        return gettext("Pathway for %(role)s") % {"role": self.get_role_display()}


class PathwayStep(Orderable):
    """One required module of a pathway and how long a learner has to finish it."""

    pathway = ParentalKey(Pathway, on_delete=models.CASCADE, related_name="steps")
    module = models.ForeignKey(
        "courses.ModulePage", on_delete=models.PROTECT, related_name="pathway_steps"
    )
    days_to_complete = models.PositiveSmallIntegerField(
        default=28,
        validators=[MinValueValidator(1), MaxValueValidator(730)],
        help_text=_("Days a learner has to finish the module after being enrolled on it."),
    )
    # Learners enrolled before a module joined their pathway are due from this time, not from
    # their own enrolment: adding a module never makes anyone overdue at once.
    added_at = models.DateTimeField(default=timezone.now, editable=False)

    panels = [FieldPanel("module"), FieldPanel("days_to_complete")]

    class Meta(Orderable.Meta):
        constraints = [
            models.UniqueConstraint(fields=["pathway", "module"], name="pathwaystep_unique")
        ]

    def __str__(self) -> str:
        return f"Pathway step {self.pk}"
