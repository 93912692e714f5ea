"""Shared set-up for the attitude survey tests: a live survey on a programme, and answers."""

import datetime

from django.utils import timezone

from courses.models import (
    AttitudeSurvey,
    LearnerRole,
    Pathway,
    PathwayStep,
    SurveyAnswer,
    SurveyResponse,
    SurveyStage,
    SurveyStatement,
)

STATEMENTS = [
    "Controlling behaviour can be abuse even when there is no violence.",
    "I know what to ask when I attend a domestic abuse call.",
    "It matters how colleagues talk about victims when no victim is present.",
]


def make_survey(programme, *, live=True, follow_up_weeks=12, statements=STATEMENTS, **fields):
    survey = AttitudeSurvey(
        title=fields.pop("title", "Thinking about domestic abuse"),
        programme=programme,
        free_text_question=fields.pop("free_text_question", "Anything else you want to say?"),
        follow_up_weeks=follow_up_weeks,
        live=live,
        statements=[SurveyStatement(text=text) for text in statements],
        **fields,
    )
    survey.save()
    return survey


def respond(survey, user, stage=SurveyStage.PRE, *, value=4, free_text="", at=None, profile=None):
    """A stored response, as the service would write it (for set-up only)."""
    profile = profile or user.learner_profile
    response = SurveyResponse.objects.create(
        survey=survey,
        learner=user,
        stage=stage,
        force=profile.force,
        role=profile.role,
        free_text=free_text,
        submitted_at=at or timezone.now(),
    )
    for statement in survey.statements.all():
        SurveyAnswer.objects.create(response=response, statement=statement, value=value)
    return response


def pathway_for(tree, role=LearnerRole.RESPONSE_OFFICER):
    """The role's pathway requires the tree's module, so completing it makes a learner trained."""
    pathway, _ = Pathway.objects.get_or_create(role=role)
    PathwayStep.objects.get_or_create(
        pathway=pathway, module=tree.module, defaults={"days_to_complete": 28}
    )
    return pathway


WEEK = datetime.timedelta(weeks=1)
