"""Attitude surveys, the learner's side: answering a stage, skipping it, and the follow-up
invitation emails (run by `manage.py send_reminders` after the reminders).

Rules:
- One response per learner, survey and stage (the database constraint decides a race).
- A statement left unanswered is stored as "prefer not to say" (no value).
- A learner's responses to one survey share one random `pair_key`, so that pre, post and
  follow-up can be paired after erasure has removed the link to the learner.
- Skipping a stage is remembered, so it is never offered again; it never blocks learning.
- A follow-up invitation is emailed once, `follow_up_weeks` after the learner's post response,
  only to active, not erased learners who have not stopped optional emails (the reminders' stop
  link stops these too), and not after they answered or skipped the follow-up.
"""

import datetime
import logging
import uuid

from django.conf import settings
from django.core import mail
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext

from courses.models import (
    Likert,
    SurveyAnswer,
    SurveyDecline,
    SurveyResponse,
    SurveyStage,
)
from courses.selectors import SurveyForm
from courses.selectors.languages import user_language
from courses.services.learners import ERASED_EMAIL_DOMAIN
from courses.services.reminders import ReminderRun, absolute_url, reminder_stop_url

logger = logging.getLogger(__name__)

FREE_TEXT_MAX = 2000


class SurveyNotOpen(Exception):
    """The stage is not open to this learner; the message says why, for them."""


class SurveyAlreadyAnswered(Exception):
    """The learner already answered this stage; nothing was changed."""


@transaction.atomic
def survey_response_submit(
    *,
    learner,
    opening: SurveyForm,
    values: dict[int, int | None],
    free_text: str = "",
    now: datetime.datetime | None = None,
) -> SurveyResponse:
    """Store the learner's answers to `opening` (selectors.survey_form for them): one answer
    per statement of the survey, `values[statement id]` or "prefer not to say" (None) when
    missing; force and role copied from their profile; the pair key of their earlier response
    to the survey, if any. Raises SurveyNotOpen, SurveyAlreadyAnswered (nothing written), or
    ValueError for a value outside the scale or text over FREE_TEXT_MAX characters."""
    if not opening.open or opening.profile is None:
        raise SurveyNotOpen(opening.closed_reason or gettext("This survey is not open to you."))
    if len(free_text) > FREE_TEXT_MAX:
        raise ValueError(
            gettext("Please keep your answer to %(max)d characters or fewer.")
            % {"max": FREE_TEXT_MAX}
        )
    for value in values.values():
        if value is not None and value not in Likert.values:
            raise ValueError(gettext("An answer was not one of the options."))
    survey = opening.survey
    earlier = (
        SurveyResponse.objects.filter(survey=survey, learner=learner)
        .order_by("submitted_at", "pk")
        .values_list("pair_key", flat=True)
        .first()
    )
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                survey=survey,
                learner=learner,
                pair_key=earlier or uuid.uuid4(),
                stage=opening.stage,
                force_id=opening.profile.force_id,
                role=opening.profile.role,
                submitted_at=now or timezone.now(),
                free_text=free_text.strip(),
            )
    except IntegrityError:
        raise SurveyAlreadyAnswered from None
    SurveyAnswer.objects.bulk_create(
        SurveyAnswer(response=response, statement=statement, value=values.get(statement.pk))
        for statement in opening.statements
    )
    return response


def survey_decline(*, learner, survey, stage: str, now: datetime.datetime | None = None) -> bool:
    """Remember that the learner skipped this stage, so it is not offered again. Idempotent:
    returns whether this call recorded it. One or two queries."""
    _, created = SurveyDecline.objects.get_or_create(
        survey=survey,
        learner=learner,
        stage=stage,
        defaults={"declined_at": now or timezone.now()},
    )
    return created


# --- follow-up invitations -----------------------------------------------------------------


def survey_follow_ups_send(*, now: datetime.datetime | None = None) -> ReminderRun:
    """Email each learner whose post response is at least the survey's `follow_up_weeks` old an
    invitation to its follow-up, once (recorded in `follow_up_invited_at`, in a transaction with
    the sending: a failed send records nothing and the next run retries). Skipped, and not
    recorded: learners who stopped optional emails (so turning them back on brings it).
    Idempotent. One query for the due responses, then per email an UPDATE and the send."""
    now = now or timezone.now()
    run = ReminderRun()
    settled = SurveyResponse.objects.filter(
        survey=OuterRef("survey"), learner=OuterRef("learner"), stage=SurveyStage.FOLLOW_UP
    )
    declined = SurveyDecline.objects.filter(
        survey=OuterRef("survey"), learner=OuterRef("learner"), stage=SurveyStage.FOLLOW_UP
    )
    due = (
        SurveyResponse.objects.filter(
            stage=SurveyStage.POST,
            follow_up_invited_at__isnull=True,
            survey__live=True,
            survey__follow_up_weeks__isnull=False,
            learner__is_active=True,
            learner__learner_profile__erased_at__isnull=True,
        )
        .exclude(learner__email__iendswith=ERASED_EMAIL_DOMAIN)
        .exclude(Exists(settled))
        .exclude(Exists(declined))
        .select_related("survey", "learner", "learner__learner_profile")
        .order_by("pk")
    )
    with mail.get_connection() as connection:
        for response in due.iterator(chunk_size=500):
            weeks = response.survey.follow_up_weeks
            if response.submitted_at + datetime.timedelta(weeks=weeks) > now:
                continue  # not yet
            if not response.learner.learner_profile.optional_reminders:
                run.skipped += 1
                continue
            _invite_once(response, now, run, connection)
    return run


def _invite_once(response: SurveyResponse, now, run: ReminderRun, connection) -> None:
    try:
        with transaction.atomic():
            claimed = SurveyResponse.objects.filter(
                pk=response.pk, follow_up_invited_at__isnull=True
            ).update(follow_up_invited_at=now)
            if not claimed:  # another run sent it first
                run.skipped += 1
                return
            # In the learner's own language, else the site's default.
            language = user_language(response.learner)[0] or settings.LANGUAGE_CODE
            with translation.override(language):
                _follow_up_email(response, connection).send()
    except Exception:
        logger.exception("Survey follow-up for response %s not sent", response.pk)
        run.failed += 1
    else:
        run.sent += 1


def _follow_up_email(response: SurveyResponse, connection) -> mail.EmailMultiAlternatives:
    user, survey = response.learner, response.survey
    stop_url = reminder_stop_url(user.pk)
    context = {
        "service_name": settings.SERVICE_NAME,
        "name": user.get_full_name() or user.email,
        "survey": survey,
        "form_url": absolute_url(
            reverse("courses:survey_form", args=[survey.pk, SurveyStage.FOLLOW_UP])
        ),
        "stop_url": stop_url,
        "support_url": absolute_url(reverse("courses:support")),
    }
    message = mail.EmailMultiAlternatives(
        subject=gettext("%(service)s: a short follow-up survey (voluntary)")
        % {"service": settings.SERVICE_NAME},
        body=render_to_string("courses/email/survey_follow_up.txt", context),
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{stop_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        },
        connection=connection,
    )
    message.attach_alternative(
        render_to_string("courses/email/survey_follow_up.html", context), "text/html"
    )
    return message
