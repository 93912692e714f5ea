"""Demo training for the evidence page: every demo account that answered the post survey
completes its role's pathway, through the progress service (lessons completed, knowledge
checks answered rightly), so that the demo's post answers come from trained learners and the
critical-mass and Champions figures have learners to count. Running it again changes nothing:
learners already trained are skipped."""

import uuid

from courses import selectors, services
from courses.models import AttitudeSurvey, LessonPage, PathwayStep, SurveyResponse, Verb

NAMESPACE = uuid.UUID("1b9b8a52-58a4-4c8e-9d2f-3f0c6a7e2b10")


def _events(user, module) -> list[dict]:
    events = []
    for lesson in LessonPage.objects.live().child_of(module).order_by("path"):
        events.append({"lesson": lesson, "verb": Verb.COMPLETED})
        for block in lesson.body:
            if block.block_type == "knowledge_check":
                right = [
                    i for i, option in enumerate(block.value["options"]) if option["is_correct"]
                ]
                events.append(
                    {
                        "lesson": lesson,
                        "verb": Verb.ANSWERED,
                        "result": {"block_id": block.id, "answers": right},
                    }
                )
    for n, event in enumerate(events):
        event["event_id"] = uuid.uuid5(NAMESPACE, f"{user.pk}-{module.pk}-{n}")
    return events


def seed(*, survey: AttitudeSurvey | None) -> int:
    """Train the post survey's demo respondents; return how many were trained now."""
    if survey is None:
        return 0
    trained = 0
    responses = SurveyResponse.objects.filter(
        survey=survey, stage="post", learner__isnull=False
    ).select_related("learner__learner_profile")
    for response in responses:
        user = response.learner
        if selectors.trained_profiles(force=None, user_id=user.pk).exists():
            continue
        steps = PathwayStep.objects.filter(
            pathway__role=user.learner_profile.role, module__live=True
        ).select_related("module")
        for step in steps:
            services.progress_record_many(learner=user, events=_events(user, step.module))
        trained += 1
    return trained
