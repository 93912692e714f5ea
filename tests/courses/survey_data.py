"""Building attitude survey data for tests through the ORM: a survey with statements, and
responses with answers at given stages, roles and times (learners optional: pair keys pair)."""

import datetime
import uuid

from django.utils import timezone

from courses.models import AttitudeSurvey, SurveyAnswer, SurveyResponse, SurveyStatement
from tests.factories import ProgrammePageFactory


def make_survey(home_page, *, statements: int = 2) -> AttitudeSurvey:
    programme = ProgrammePageFactory(parent=home_page)
    survey = AttitudeSurvey.objects.create(title="Attitudes", programme=programme)
    for n in range(statements):
        SurveyStatement.objects.create(survey=survey, text=f"Statement {n + 1}", sort_order=n)
    return survey


def uk_time(day: datetime.date, hour: int = 12) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def answer(survey, *, force, stage, role, day, values, pair_key=None, learner=None):
    """One response: `values` are the answers to the survey's statements in order (None:
    prefer not to say). Returns its pair key."""
    pair_key = pair_key or uuid.uuid4()
    response = SurveyResponse.objects.create(
        survey=survey,
        learner=learner,
        pair_key=pair_key,
        stage=stage,
        force=force,
        role=role,
        submitted_at=uk_time(day),
    )
    statements = list(survey.statements.order_by("sort_order", "pk"))
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, statement=s, value=v)
        for s, v in zip(statements, values, strict=False)
    )
    return pair_key


def pairs(survey, *, force, role, n, pre_day, post_day, pre=2, post=4):
    """`n` learners answering every statement `pre` before and `post` after."""
    count = survey.statements.count()
    for _ in range(n):
        key = answer(survey, force=force, stage="pre", role=role, day=pre_day, values=[pre] * count)
        answer(
            survey,
            force=force,
            stage="post",
            role=role,
            day=post_day,
            values=[post] * count,
            pair_key=key,
        )
