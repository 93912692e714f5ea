"""The demo programme's attitude survey (seed_demo calls seed()). Original statements, in
plain, careful language: some readers have lived through domestic abuse, so the statements
never blame victims and never describe abuse in detail. Answers are seeded separately."""

import datetime

from courses.models import AttitudeSurvey, ProgrammePage, SurveyStatement

TITLE = "Your thinking about domestic abuse"

STATEMENTS = [
    "Coercive and controlling behaviour is domestic abuse, even when there is no physical "
    "violence.",
    'It is more useful to ask "why doesn\'t he stop?" than "why doesn\'t she leave?"',
    "When someone tells me they are being abused, my starting point is to believe them.",
    "I would challenge a colleague who made a joke that played down domestic abuse.",
    "Domestic abuse can affect anyone, including people who work in policing.",
    "How I respond the first time someone reports abuse can affect whether they ask for help "
    "again.",
]

FREE_TEXT_QUESTION = (
    "Is there anything else you would like to tell us about domestic abuse and policing?"
)

FOLLOW_UP_WEEKS = 12


def seed(*, programme: ProgrammePage, now: datetime.datetime) -> AttitudeSurvey:
    """Create and publish the demo survey for `programme`, once: a programme that already has
    a survey keeps it unchanged (idempotent)."""
    existing = AttitudeSurvey.objects.originals().filter(programme=programme).first()
    if existing is not None:
        return existing
    survey = AttitudeSurvey(
        title=TITLE,
        programme=programme,
        free_text_question=FREE_TEXT_QUESTION,
        follow_up_weeks=FOLLOW_UP_WEEKS,
        live=False,
        statements=[
            SurveyStatement(text=text, sort_order=order) for order, text in enumerate(STATEMENTS)
        ],
    )
    survey.save()
    survey.save_revision().publish()
    AttitudeSurvey.objects.filter(pk=survey.pk).update(first_published_at=now)
    survey.refresh_from_db()
    return survey
