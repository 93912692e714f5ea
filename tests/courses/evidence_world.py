"""Known national evidence for the evaluators' and benchmark tests: a one-module pathway for
response officers, PCSOs and supervisors; six forces that meet k and one small force that
does not. Progress rows are written as the progress service leaves them (factories), with
fixed dates."""

import datetime

from django.contrib.auth.models import Group
from django.utils import timezone

from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    Headcount,
    HeadcountSource,
    LearnerProfile,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.factories import ModuleProgressFactory, UserFactory, force, learner

UK = timezone.get_default_timezone()
# 20 response officers each; 10 + i of them trained, the first a Champion: critical mass 50%,
# 55% ... 75% (median 62.5), Champions 1 in 10 ... 1 in 15.
BIG_FORCES = ["met", "gmp", "kent", "essex", "merseyside", "cumbria"]
SMALL_FORCE = "dyfed-powys"  # a headcount of 5 and 3 trained: below k for both figures
TRAINED_AT = datetime.datetime(2026, 2, 10, 12, 0, tzinfo=UK)
JOINED_AT = datetime.datetime(2025, 12, 1, 9, 0, tzinfo=UK)
HEADCOUNT_AS_OF = datetime.date(2026, 1, 1)


def pathways(module) -> None:
    for role in (LearnerRole.RESPONSE_OFFICER, LearnerRole.PCSO, LearnerRole.SUPERVISOR):
        pathway = Pathway.objects.create(role=role)
        PathwayStep.objects.create(pathway=pathway, module=module, days_to_complete=28)


def trained_learner(code: str, module, *, at=TRAINED_AT, role=LearnerRole.RESPONSE_OFFICER, **kw):
    user = learner(code, role=role, **kw)
    LearnerProfile.objects.filter(user=user).update(created_at=JOINED_AT)
    ModuleProgressFactory(learner=user, module=module, completed=True, completed_at=at)
    return user


def headcount(code: str, count: int, *, role=LearnerRole.RESPONSE_OFFICER, as_of=HEADCOUNT_AS_OF):
    Headcount.objects.create(
        force=force(code), role=role, count=count, as_of=as_of, source=HeadcountSource.ADMIN
    )


def national_world(module) -> None:
    pathways(module)
    for i, code in enumerate(BIG_FORCES):
        headcount(code, 20)
        for n in range(10 + i):
            trained_learner(code, module, champion_since=TRAINED_AT if n == 0 else None)
    headcount(SMALL_FORCE, 5)
    for _ in range(3):
        trained_learner(SMALL_FORCE, module)


def evaluator(**fields):
    user = UserFactory(**fields)
    user.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    return user
