"""Attitude surveys: authored by editors (a snippet with drafts and revisions), answered by
learners before their first lesson, after completing their pathway and optionally weeks later.

Answers are linked to the learner only so that their pre and post answers can be paired, and
only the learner ever sees their own. Results are reported only as k-anonymous aggregates
(courses.selectors.surveys). Erasure removes the link to the learner and the free text; the
random `pair_key` still pairs the now anonymous answers."""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel
from wagtail.models import DraftStateMixin, Orderable, RevisionMixin, TranslatableMixin

from .learners import LearnerRole
from .translations import default_language_code

DEFAULT_SURVEY_USE = (
    "This survey is voluntary and you can skip it: skipping never affects your training. "
    "Your answers are used only to measure, across many officers and staff, whether attitudes "
    "change after DA Matters. Nobody at your force or at SafeLives can see your own answers; "
    "results are shown only for groups of 10 people or more. You can see your answers in your "
    "data download, and they are unlinked from you if you ask us to erase your data."
)


class SurveyStage(models.TextChoices):
    PRE = "pre", _("Before the first lesson")
    POST = "post", _("After completing the pathway")
    FOLLOW_UP = "follow-up", _("Follow-up")


class Likert(models.IntegerChoices):
    """The five points; "prefer not to say" is stored as no value (NULL)."""

    STRONGLY_DISAGREE = 1, _("Strongly disagree")
    DISAGREE = 2, _("Disagree")
    NEITHER = 3, _("Neither agree nor disagree")
    AGREE = 4, _("Agree")
    STRONGLY_AGREE = 5, _("Strongly agree")


PREFER_NOT_TO_SAY = "Prefer not to say"
PROGRAMME_HAS_SURVEY = _("This programme already has a survey. Edit that one instead.")


class AttitudeSurveyQuerySet(models.QuerySet):
    def originals(self):
        """Surveys in the default locale: the ones learners' answers are recorded against,
        whatever language they answered in (a translation is only how a survey is shown)."""
        return self.filter(locale__language_code=default_language_code())


class AttitudeSurvey(TranslatableMixin, DraftStateMixin, RevisionMixin, ClusterableModel):
    """One programme's attitude survey. Learners are offered its live version. Translatable
    (wagtail-localize, with its statements): answers are always recorded against the
    default-locale survey and statements (`originals()`), a translation only shows them."""

    title = models.CharField(max_length=200)
    programme = models.ForeignKey(
        "courses.ProgrammePage",
        on_delete=models.PROTECT,
        related_name="attitude_surveys",
        help_text=_("The programme whose learners are asked."),
    )
    how_answers_are_used = models.TextField(
        default=DEFAULT_SURVEY_USE,
        help_text=_("Shown before the questions: a plain statement of how answers are used."),
    )
    free_text_question = models.CharField(
        max_length=300,
        blank=True,
        help_text=_("An optional open question at the end. Leave empty for none."),
    )
    follow_up_weeks = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(104)],
        help_text=_(
            "Weeks after the post survey to invite learners to a follow-up. Empty for no follow-up."
        ),
    )

    objects = AttitudeSurveyQuerySet.as_manager()

    panels = [
        FieldPanel("title"),
        FieldPanel("programme"),
        FieldPanel("how_answers_are_used"),
        InlinePanel("statements", label="Statements", min_num=1),
        FieldPanel("free_text_question"),
        FieldPanel("follow_up_weeks"),
    ]

    class Meta(TranslatableMixin.Meta):
        verbose_name = _("attitude survey")
        constraints = [
            # One survey per programme; its translations (same programme, another locale)
            # are the same survey in another language.
            models.UniqueConstraint(
                fields=["programme", "locale"],
                name="attitudesurvey_one_per_programme",
                violation_error_message=PROGRAMME_HAS_SURVEY,
            )
        ]

    def __str__(self) -> str:
        return self.title


class SurveyStatement(TranslatableMixin, Orderable):
    """A statement learners answer on the five-point scale. Its id pairs answers across
    stages, so its wording may be corrected but a statement with answers is never deleted."""

    survey = ParentalKey(AttitudeSurvey, on_delete=models.CASCADE, related_name="statements")
    text = models.CharField(max_length=300)

    panels = [FieldPanel("text")]

    class Meta(TranslatableMixin.Meta):
        ordering = ["sort_order"]

    def __str__(self) -> str:
        return self.text


class SurveyResponse(models.Model):
    """One learner's answers at one stage. `force` and `role` are theirs when they answered."""

    survey = models.ForeignKey(AttitudeSurvey, on_delete=models.PROTECT, related_name="responses")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="survey_responses",
        help_text=_("Emptied when the learner's data is erased."),
    )
    pair_key = models.UUIDField(
        default=uuid.uuid4,
        db_index=True,
        help_text=_("Random; the same on one learner's responses to one survey, to pair them."),
    )
    stage = models.CharField(max_length=10, choices=SurveyStage.choices)
    force = models.ForeignKey("courses.Force", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(max_length=30, choices=LearnerRole.choices)
    submitted_at = models.DateTimeField(default=timezone.now)
    free_text = models.TextField(max_length=2000, blank=True)
    follow_up_invited_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text=_("On a post response: when the learner was emailed the follow-up invitation."),
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "learner", "stage"], name="surveyresponse_once_per_stage"
            )
        ]
        indexes = [
            models.Index(
                fields=["force", "survey", "stage", "submitted_at"],
                name="surveyresponse_force_idx",
            )
        ]

    def __str__(self) -> str:
        return f"Survey response {self.pk}"


class SurveyAnswer(models.Model):
    response = models.ForeignKey(SurveyResponse, on_delete=models.CASCADE, related_name="answers")
    statement = models.ForeignKey(SurveyStatement, on_delete=models.PROTECT, related_name="answers")
    value = models.PositiveSmallIntegerField(
        choices=Likert.choices, null=True, blank=True, help_text=_("Empty: prefer not to say.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["response", "statement"], name="surveyanswer_unique")
        ]

    def __str__(self) -> str:
        return f"Survey answer {self.pk}"
