"""Reflections: a learner's private answers to reflection prompts."""

from django.utils.translation import gettext

from courses.models import LessonPage, Reflection, source_id


def reflection_save(*, learner, lesson: LessonPage, block_id: str, text: str) -> Reflection | None:
    """Save (or, for empty text, delete) the learner's private answer to a reflection prompt.

    Idempotent: one row per (learner, lesson, prompt), updated in place. Raises ValueError when
    `block_id` is not a reflection prompt of the lesson. Returns the Reflection, or None when
    the text was empty and any earlier answer was deleted. Reflections are never part of
    progress, reports or the API: only their author reads them. A translation's prompt is
    its source's (the same block id): the answer is kept against the source lesson, so the
    learner sees it in either language.
    """
    if not any(
        child.id == block_id and child.block_type == "reflection_prompt" for child in lesson.body
    ):
        raise ValueError(gettext("This reflection prompt is no longer part of the lesson."))
    text = text.strip()
    lesson_id = source_id(lesson)
    if not text:
        Reflection.objects.filter(learner=learner, lesson_id=lesson_id, block_id=block_id).delete()
        return None
    reflection, _ = Reflection.objects.update_or_create(
        learner=learner, lesson_id=lesson_id, block_id=block_id, defaults={"text": text}
    )
    return reflection
