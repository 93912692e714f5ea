"""Demo attitude survey answers for the evidence page: enough paired learners in the Met, across
role groups and the last three complete months, to show results with a positive shift, and a
handful in each other chosen force to show figures withheld as "fewer than 10".

Answers are given by demo accounts that cannot sign in (survey<i>@<force>.demo.example), never
by the demo learners one signs in as. Running
it again changes nothing: each answer set is keyed by a pair key derived from the force and the
learner's number."""

import datetime
import random
import uuid

from django.contrib.auth import get_user_model
from django.utils import timezone

from courses.models import (
    AttitudeSurvey,
    LearnerProfile,
    LearnerRole,
    SurveyAnswer,
    SurveyResponse,
)

MAIN_FORCE, MAIN_LEARNERS, SMALL_LEARNERS = "met", 60, 6
NAMESPACE = uuid.UUID("7d0b6f1e-3c1a-4f55-9a43-0f5c2b8e9d21")
ROLES = [
    LearnerRole.RESPONSE_OFFICER,
    LearnerRole.PCSO,
    LearnerRole.CALL_HANDLER,
    LearnerRole.RESPONSE_OFFICER,
    LearnerRole.SUPERVISOR,
    LearnerRole.STAFF,
]


def _survey(survey: AttitudeSurvey | None) -> AttitudeSurvey | None:
    return survey or AttitudeSurvey.objects.originals().filter(live=True).order_by("pk").first()


def _learner(force, index: int):
    """A demo respondent that cannot sign in, so that the demo learners one signs in as start
    with no answers (and are offered the survey before their first lesson)."""
    domain = f"{force.code}.demo.example"
    User = get_user_model()
    email = f"survey{index}@{domain}"
    user, created = User.objects.get_or_create(
        username=email, defaults={"email": email, "first_name": "Survey", "last_name": "Demo"}
    )
    if created:
        user.set_unusable_password()
        user.save(update_fields=["password"])
    role = ROLES[index % len(ROLES)]
    # Marked invited, so that send_invitations never emails these accounts.
    profile, _ = LearnerProfile.objects.get_or_create(
        user=user, defaults={"force": force, "role": role, "invited_at": timezone.now()}
    )
    return user, profile.role


def _answer(survey, statements, *, learner, force, role, key, stage, when, values):
    response, created = SurveyResponse.objects.get_or_create(
        survey=survey,
        pair_key=key,
        stage=stage,
        defaults={"learner": learner, "force": force, "role": role, "submitted_at": when},
    )
    if created:
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(response=response, statement=s, value=v)
            for s, v in zip(statements, values, strict=False)
        )


def _months(now: datetime.datetime) -> list[datetime.date]:
    first = timezone.localtime(now).date().replace(day=1)
    months = []
    for _ in range(3):
        first = (first - datetime.timedelta(days=1)).replace(day=1)
        months.insert(0, first)
    return months


def seed(*, forces, survey: AttitudeSurvey | None = None, now: datetime.datetime | None = None):
    """Pre and post answers for the Met (if among `forces`) and a few in each other force."""
    survey = _survey(survey)
    if survey is None:
        return
    statements = list(survey.statements.order_by("sort_order", "pk"))
    months = _months(now or timezone.now())
    for force in forces:
        count = MAIN_LEARNERS if force.code == MAIN_FORCE else SMALL_LEARNERS
        rng = random.Random(f"{force.code}-survey")  # noqa: S311 (demo answers, not secrets)
        for index in range(1, count + 1):
            learner, role = _learner(force, index)
            key = uuid.uuid5(NAMESPACE, f"{survey.pk}-{force.code}-{index}")
            pre_month = months[index % 2]  # the first two months; posts a month later or so
            pre_at = timezone.make_aware(
                datetime.datetime.combine(pre_month.replace(day=1 + index % 27), datetime.time(9))
            )
            pre = [rng.choice([2, 2, 3, 3, 3, 4, None]) for _ in statements]
            post = [None if v is None else min(5, v + rng.choice([0, 1, 1, 1, 2])) for v in pre]
            _answer(
                survey,
                statements,
                learner=learner,
                force=force,
                role=role,
                key=key,
                stage="pre",
                when=pre_at,
                values=pre,
            )
            if index % 8 == 0:
                continue  # some learners have not answered the post survey
            post_at = pre_at + datetime.timedelta(days=20 + index % 15)
            _answer(
                survey,
                statements,
                learner=learner,
                force=force,
                role=role,
                key=key,
                stage="post",
                when=post_at,
                values=post,
            )
