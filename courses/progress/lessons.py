"""Where each lesson sits in the published course: the selector progress recording reads.

Recording progress needs to know, for a lesson: whether it may take progress (it and every
ancestor published, no password or group restriction), its module (id, pass mark, live
revision), the module's live lessons and every knowledge check in them, and the lesson's own
checks for scoring. Reading that costs four queries and parsing lesson bodies, and it changes
only when an editor changes the course, which replaces `ContentVersion.token`
(courses.signals). So the answer is kept in Django's shared cache under that token: every app
server reads the same copy, and a change through one is seen by all on their next request.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Q
from wagtail.models import Page

from courses.models import (
    LEARNER_BARRED,
    ContentVersion,
    LessonPage,
    ModulePage,
    counted_lessons,
    default_language_code,
)

KNOWLEDGE_CHECK = "knowledge_check"
CACHE_PREFIX = "courses:lesson-structure"
CACHE_TIMEOUT = 24 * 60 * 60  # a token's entries are never stale; this only bounds the space

__all__ = ["LEARNER_BARRED", "LessonStructure", "counted_lessons", "lesson_structures"]


@dataclass(frozen=True)
class LessonStructure:
    """A lesson's place in the course, as plain data (it lives in the shared cache)."""

    lesson_id: int
    # False when the lesson or an ancestor is unpublished or behind a password or group
    # restriction (a sign-in restriction is fine: learners are signed in). The module fields
    # are then empty.
    available: bool
    # This lesson's knowledge checks by block id, as KnowledgeCheckBlock.score() reads them:
    # {"allow_multiple": bool, "reveal_after": int,
    #  "options": [{"is_correct": bool, "feedback": str}, ...]}.
    # Known even when the lesson is unavailable, so that a replayed answer can be re-scored.
    checks_by_id: Mapping[str, dict] = field(default_factory=dict)
    module_id: int | None = None
    pass_mark: int = 0
    module_revision_id: int | None = None
    live_lesson_ids: frozenset[int] = frozenset()
    # (lesson id, block id) of every knowledge check in the module's live lessons.
    checks: tuple[tuple[int, str], ...] = ()


def lesson_structures(
    *, lesson_ids: Iterable[int], token: str | None = None
) -> dict[int, LessonStructure]:
    """The structure of each id that is a lesson page; ids that are not are left out. A
    translation's (or alias's) id maps to its source's structure: `lesson_id`, the module,
    its lessons and checks are the default-locale pages' (the learner's one record), so
    `structure.lesson_id` is the id to record and read the learner's rows by.

    One query for the content token (none when the caller gives it), one cache read, and four
    queries for each module not yet in the cache at that token (all of a module's live
    lessons are read and stored together).
    """
    token = token if token is not None else ContentVersion.current_token()
    ids = list(dict.fromkeys(lesson_ids))
    keys = {lesson_id: f"{CACHE_PREFIX}:{token}:{lesson_id}" for lesson_id in ids}
    cached = cache.get_many(keys.values())
    found = {
        lesson_id: cached[key] for lesson_id, key in keys.items() if cached.get(key) is not None
    }
    for lesson_id in ids:
        if lesson_id in found:
            continue
        read = _read(lesson_id)
        cache.set_many(
            {f"{CACHE_PREFIX}:{token}:{key}": s for key, s in read}, timeout=CACHE_TIMEOUT
        )
        found.update((key, s) for key, s in read if key in keys)
    return found


def _read(lesson_id: int) -> list[tuple[int, LessonStructure]]:
    """Read a lesson and, when it is available, every live lesson of its module, as (id the
    structure is kept under, structure). A translation or alias (not in the default locale)
    takes its source's structure (courses.models.translations): the record is the source's.
    It is kept under its own id too, available when the source is and it is live and not
    behind a restriction itself (one query to find the source, one for the restrictions)."""
    lesson = (
        LessonPage.objects.filter(pk=lesson_id)
        .select_related("locale")
        .only("id", "path", "depth", "live", "body", "translation_key", "locale__language_code")
        .first()
    )
    if lesson is None:
        return []
    if lesson.locale.language_code == default_language_code():
        return [(found.lesson_id, found) for found in _read_source(lesson)]
    source = (
        LessonPage.objects.filter(translation_key=lesson.translation_key)
        .filter(locale__language_code=default_language_code())
        .only("id", "path", "depth", "live", "body")
        .first()
    )
    if source is None:  # a page with no source (only in this language): its own record
        return [(found.lesson_id, found) for found in _read_source(lesson)]
    read = {found.lesson_id: found for found in _read_source(source)}
    own = read[source.pk]
    if own.available and (not lesson.live or _blocked(lesson)):
        own = LessonStructure(source.pk, False, own.checks_by_id)
    return [*read.items(), (lesson.pk, own)]


def _blocked(lesson: LessonPage) -> bool:
    """Whether the lesson or an ancestor is unpublished or behind a password or group
    restriction (one query)."""
    return (
        Page.objects.ancestor_of(lesson, inclusive=True)
        .filter(depth__gt=1)
        .filter(Q(live=False) | Q(view_restrictions__restriction_type__in=LEARNER_BARRED))
        .exists()
    )


def _read_source(lesson: LessonPage) -> list[LessonStructure]:
    """Read a source lesson and, when it is available, every live lesson of its module."""
    unavailable = [LessonStructure(lesson.pk, False, _checks_by_id(lesson.body))]
    if not lesson.live:
        return unavailable
    blocked = _blocked(lesson)
    module = (
        ModulePage.objects.filter(path=lesson.path[: -Page.steplen])
        .only("id", "path", "depth", "pass_mark", "live_revision_id")
        .first()
    )
    if blocked or module is None:
        return unavailable
    # The lessons that count: live, and not behind a restriction of their own. A lesson behind
    # one takes no progress, so counting it would leave the module impossible to complete.
    live = counted_lessons(LessonPage.objects.child_of(module)).only("id", "body")
    checks_by_lesson = {page.pk: _checks_by_id(page.body) for page in live}
    checks = tuple(
        (page_id, block_id) for page_id, by_id in checks_by_lesson.items() for block_id in by_id
    )
    return [
        LessonStructure(
            lesson_id=page_id,
            available=True,
            checks_by_id=by_id,
            module_id=module.pk,
            pass_mark=module.pass_mark,
            module_revision_id=module.live_revision_id,
            live_lesson_ids=frozenset(checks_by_lesson),
            checks=checks,
        )
        for page_id, by_id in checks_by_lesson.items()
    ]


def _checks_by_id(body) -> dict[str, dict]:
    """The knowledge checks of a lesson body, as plain data for scoring. Indexing the stream
    converts only the checks, not the lesson's rich text and media blocks."""
    checks = (body[i] for i, raw in enumerate(body.raw_data) if raw["type"] == KNOWLEDGE_CHECK)
    return {
        child.id: {
            "allow_multiple": bool(child.value["allow_multiple"]),
            "reveal_after": int(child.value["reveal_after"]),
            "options": [
                {
                    "is_correct": bool(option["is_correct"]),
                    "feedback": str(option["feedback"] or ""),
                }
                for option in child.value["options"]
            ],
        }
        for child in checks
    }
