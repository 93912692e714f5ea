"""A learner's "not now, thanks" to an attitude survey stage, so they are never asked again."""

from django.conf import settings
from django.db import models
from django.utils import timezone

from .surveys import AttitudeSurvey, SurveyStage


class SurveyDecline(models.Model):
    """The learner skipped this stage of this survey: it is not offered to them again.
    Deleted with the learner's other personal data on erasure (courses.privacy)."""

    survey = models.ForeignKey(AttitudeSurvey, on_delete=models.CASCADE, related_name="declines")
    learner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="survey_declines"
    )
    stage = models.CharField(max_length=10, choices=SurveyStage.choices)
    declined_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["survey", "learner", "stage"], name="surveydecline_once_per_stage"
            )
        ]

    def __str__(self) -> str:
        return f"Survey decline {self.pk}"
