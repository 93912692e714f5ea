"""What the lesson and module views show of the learner's journey besides the page itself.

- Knowledge-check feedback, kept in the session between the answer's POST and the lesson's
  GET (POST/redirect/GET), with the learner's answers to the check so far as the server
  counted them, so that the feedback gives the right answer away only when the block allows.
- What is left of a module after a lesson, in words and with a link: the message after the
  form post without JavaScript and the text progress.js shows (from the form's data
  attributes) both come from `steps_left()`.
"""

from collections.abc import Mapping
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.translation import gettext

from courses import selectors
from courses.models import LessonPage, ProgressStatus
from courses.progress.lessons import LessonStructure, lesson_structures

CHECK_FEEDBACK_SESSION_KEY = "check_feedback"
# Answers on a lesson that takes no progress (behind a restriction the viewer passed) are not
# in the ledger; the session counts them instead, by "<lesson id>:<block id>".
UNRECORDED_ATTEMPTS_SESSION_KEY = "check_attempts"


def lesson_note_keep(request, key: str, lesson: LessonPage, note: dict) -> None:
    """Keep `note` in the session under `key` for the lesson's next view to show once
    (POST/redirect/GET): lesson_note_pop() takes it back."""
    stored = request.session.get(key) or {}
    stored[str(lesson.pk)] = note
    request.session[key] = stored


def lesson_note_pop(request, key: str, lesson: LessonPage) -> dict | None:
    """The note lesson_note_keep() kept for this lesson under `key`, once; else None (and no
    session write)."""
    stored = request.session.get(key) or {}
    note = stored.pop(str(lesson.pk), None)
    if note is not None:
        request.session[key] = stored
    return note


def feedback_keep(
    request,
    lesson: LessonPage,
    block_id: str,
    answers,
    *,
    attempts: int,
    certificate_url: str | None = None,
) -> None:
    """Keep an answer for the lesson's next view to score and show once. `attempts` is the
    server's count of the learner's answers to the check, this one included;
    `certificate_url` is set when this answer completed the module."""
    lesson_note_keep(
        request,
        CHECK_FEEDBACK_SESSION_KEY,
        lesson,
        {block_id: {"answers": answers, "attempts": attempts, "certificate_url": certificate_url}},
    )


def feedback_pop(request, lesson: LessonPage) -> dict:
    """The lesson's context for answers kept by feedback_keep(), re-scored once:
    `check_feedback` ({block id: CheckOutcome}) and `certificate_ready` ({"block_id", "url"}
    when the answer completed the module), or nothing."""
    kept = lesson_note_pop(request, CHECK_FEEDBACK_SESSION_KEY, lesson)
    if kept is None:
        return {}
    feedback, ready = {}, None
    for child in lesson.body:
        entry = kept.get(child.id) if child.block_type == "knowledge_check" else None
        if not isinstance(entry, dict):
            continue
        try:
            feedback[child.id] = child.block.score(
                child.value, entry["answers"], attempts=int(entry["attempts"])
            )
        except (ValueError, KeyError, TypeError):  # the question changed since it was answered
            continue
        if entry.get("certificate_url"):
            ready = {"block_id": child.id, "url": entry["certificate_url"]}
    return {"check_feedback": feedback, "certificate_ready": ready}


def unrecorded_attempt(request, lesson: LessonPage, block_id: str) -> int:
    """Count an answer on a lesson that takes no progress; returns the answers so far."""
    counts = request.session.get(UNRECORDED_ATTEMPTS_SESSION_KEY) or {}
    key = f"{lesson.pk}:{block_id}"
    counts[key] = int(counts.get(key, 0)) + 1
    request.session[UNRECORDED_ATTEMPTS_SESSION_KEY] = counts
    return counts[key]


@dataclass(frozen=True)
class NextStep:
    """What is left of a module, said plainly, with a link to it."""

    text: str
    url: str
    link: str


def steps_left(
    request,
    *,
    lesson: LessonPage,
    lessons: list[LessonPage],
    structure: LessonStructure,
    statuses: Mapping[int, ProgressStatus],
) -> tuple[NextStep | None, NextStep | None]:
    """After finishing `lesson`, what else its module needs: (the first other lesson not yet
    finished, or None; the knowledge check to pass, or None when the module has none).

    `lessons` are the module's live lessons in order (numbered as their pages number them),
    `structure` the lesson's place in the course (which lessons count, where the checks are)
    and `statuses` the learner's status in the module's lessons (by the source lessons' ids).
    Reads nothing for a lesson in the default locale; for a translation, the lessons' sources
    (lesson_structures: the content token and the shared cache).
    """
    numbered = list(enumerate(lessons, start=1))
    source = {found.pk: found.pk for found in lessons}
    if structure.lesson_id != lesson.pk:  # a translation: its lessons' records are the sources'
        found = lesson_structures(lesson_ids=source)
        source.update((pk, found[pk].lesson_id) for pk in source if pk in found)
    unfinished = next(
        (
            (number, found)
            for number, found in numbered
            if source[found.pk] in structure.live_lesson_ids
            and found.pk != lesson.pk
            and statuses.get(source[found.pk]) != ProgressStatus.COMPLETED
        ),
        None,
    )
    lesson_step = None
    if unfinished is not None:
        number, found = unfinished
        name = gettext("Lesson %(number)s: %(title)s") % {"number": number, "title": found.title}
        lesson_step = NextStep(
            text=gettext("To complete the module, you also need to finish %(lesson)s.")
            % {"lesson": name},
            url=found.get_url(request),
            link=gettext("Go to %(lesson)s") % {"lesson": name},
        )
    check_step = None
    by_id = {source[found.pk]: (number, found) for number, found in numbered}
    check = next((check for check in structure.checks if check[0] in by_id), None)
    if check is not None:
        number, found = by_id[check[0]]
        check_step = NextStep(
            text=gettext(
                "You have finished the lessons. To complete the module, pass the knowledge "
                "check in Lesson %(number)s: %(title)s."
            )
            % {"number": number, "title": found.title},
            url=f"{found.get_url(request)}#check-{check[1]}",
            link=gettext("Go to the knowledge check"),
        )
    return lesson_step, check_step


def left_message(request, lesson: LessonPage, lessons: list[LessonPage], progress) -> str:
    """The message after the module's last lesson when the module is not complete yet (the
    form post without JavaScript): what is left, with a link. `progress` is the learner's
    module row after the lesson. Reads the content token and the learner's lesson statuses
    (two queries)."""
    structure = lesson_structures(lesson_ids=[lesson.pk]).get(lesson.pk)
    if structure is None or not structure.available:
        return gettext("Lesson complete.")
    statuses = selectors.learner_lesson_statuses(request.user, structure.live_lesson_ids)
    left_lessons, left_check = steps_left(
        request, lesson=lesson, lessons=lessons, structure=structure, statuses=statuses
    )
    if progress.lessons_completed < progress.lessons_total and left_lessons is not None:
        text = gettext("Lesson complete. %(next_step)s") % {"next_step": left_lessons.text}
        step = left_lessons
    elif left_check is not None:
        text, step = left_check.text, left_check
    else:
        return gettext("Lesson complete.")
    return format_html('{} <a href="{}">{}</a>', text, step.url, step.link)
