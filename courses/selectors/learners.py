"""Learner reads: one's own progress, My learning, a lesson's place, certificates."""

import dataclasses
import functools
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.db.models import OuterRef, Q, Subquery
from django.utils import timezone
from wagtail.models import Page

from courses.models import (
    Force,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    ModulePage,
    ModuleProgress,
    PathwayStep,
    ProgressStatus,
    Reflection,
    counted_lessons,
    in_default_locale,
    lessons_minutes,
    localized_pages,
    source_id,
    source_ids,
)
from courses.progress.lessons import lesson_structures

# --- Learner progress -------------------------------------------------------------------------


def learner_progress(*, learner) -> list[ModuleProgress]:
    """The learner's own module rows (module page loaded), each with `.lesson_rows`: their
    lesson rows (lesson page loaded) in course order. Exactly 2 queries; the learner's data
    only, and never reflections."""
    modules = list(
        ModuleProgress.objects.filter(learner=learner)
        .select_related("module")
        .order_by("module__path")
    )
    lessons = defaultdict(list)
    for row in (
        LessonProgress.objects.filter(learner=learner)
        .select_related("lesson")
        .order_by("lesson__path")
    ):
        lessons[row.module_id].append(row)
    for module_row in modules:
        module_row.lesson_rows = lessons[module_row.module_id]
    return modules


# --- Learner journey --------------------------------------------------------------------------


def force_for_email(email: str) -> Force | None:
    """The active force whose email domains include this address's domain, else None.
    One query. Subdomains do not match: each force lists its domains explicitly."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    return Force.objects.filter(is_active=True, email_domains__domain=domain).first()


@dataclass(frozen=True)
class ModuleCard:
    """One module as the learner sees it on My learning."""

    module: ModulePage
    lessons: tuple[LessonPage, ...]
    lessons_done: int
    status: ProgressStatus
    minutes_left: int
    # Where "Start"/"Continue" goes: the first unfinished lesson; when every lesson is done but
    # the pass mark is not met, the first lesson with a knowledge check. None when completed.
    resume_lesson: LessonPage | None
    needs_pass_mark: bool
    progress: ModuleProgress | None
    # Each lesson's status by lesson id (absent: not started). My learning reads only which
    # lessons are completed; the module page reads every status.
    lesson_statuses: Mapping[int, ProgressStatus] = field(default_factory=dict)

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def check_taken(self) -> bool:
        """Whether the learner has answered a knowledge check in the module (the module row
        has a score only then)."""
        return self.progress is not None and self.progress.score is not None

    @property
    def percent(self) -> int:
        if self.status == ProgressStatus.COMPLETED:
            return 100
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def required(self) -> bool:
        """Whether the learner is enrolled on the module by their role's pathway."""
        return self.progress is not None and self.progress.required

    @property
    def due_at(self):
        """When a required module is due (None for an optional one)."""
        return self.progress.due_at if self.required else None

    @property
    def overdue(self) -> bool:
        """Required, not completed, and past its due time."""
        return (
            self.due_at is not None
            and self.status != ProgressStatus.COMPLETED
            and self.due_at < timezone.now()
        )


@dataclass(frozen=True)
class Outline:
    """The live course as My learning lists it: every live module in tree order, and each
    one's lessons that count towards it (counted_lessons), without their bodies."""

    modules: tuple[ModulePage, ...]
    lessons: Mapping[str, tuple[LessonPage, ...]]  # by the module's path


def course_outline() -> Outline:
    """The live course outline, in the default locale (each module once, as the learner's
    record has it): two queries, whatever the number of modules and lessons."""
    modules = tuple(in_default_locale(ModulePage.objects.live()).order_by("path"))
    lessons: dict[str, list[LessonPage]] = defaultdict(list)
    source_lessons = in_default_locale(LessonPage.objects.order_by("path"))
    for lesson in counted_lessons(source_lessons).defer("body"):
        lessons[lesson.path[: -Page.steplen]].append(lesson)
    return Outline(modules, {path: tuple(found) for path, found in lessons.items()})


def _pathway_position():
    """A module row's place in the pathway of its learner's role (None when the module is not
    in it), as a subquery of the row's own query: no query of its own."""
    role = LearnerProfile.objects.filter(user_id=OuterRef(OuterRef("learner_id"))).values("role")
    return Subquery(
        PathwayStep.objects.filter(
            pathway__role=Subquery(role[:1]), module_id=OuterRef("module_id")
        ).values("sort_order")[:1]
    )


def _required_first(card: ModuleCard):
    """Sort key: required modules first, in their pathway's order (then by due date, for
    a module required by an earlier role's pathway), then every other in tree order."""
    if not card.required:
        return (1, 0, 0)
    position = getattr(card.progress, "pathway_position", None)
    return (0, position if position is not None else 1 << 30, card.due_at.timestamp())


def learner_dashboard(learner, outline: Outline | None = None) -> list[ModuleCard]:
    """Every live module with the learner's progress through its live lessons: first the
    modules their role's pathway requires (`card.required`, with `due_at` and `overdue`), in
    the pathway's order, then the others in tree order.

    The modules and lessons come from `outline` (course_outline(), two queries, read when not
    given), and the lessons with knowledge checks from the lesson structure (the content token
    and the shared cache), only when a module waits for its pass mark. Then two queries
    whatever the number of modules: the learner's completed lessons and module progress.
    """
    outline = outline or course_outline()
    modules, lessons_by_parent = outline.modules, outline.lessons
    done = set(
        LessonProgress.objects.filter(learner=learner, status=ProgressStatus.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )
    progress = {
        p.module_id: p
        for p in ModuleProgress.objects.filter(learner=learner).annotate(
            pathway_position=_pathway_position()
        )
    }

    @functools.cache
    def lessons_with_checks() -> frozenset[int]:
        """Read once per page, and only if a module waits for its pass mark."""
        ids = [lesson.pk for lessons in lessons_by_parent.values() for lesson in lessons]
        found = lesson_structures(lesson_ids=ids)
        return frozenset(pk for pk, lesson in found.items() if lesson.checks_by_id)

    cards = [
        _module_card(
            m, lessons_by_parent.get(m.path, []), done, progress.get(m.pk), lessons_with_checks
        )
        for m in modules
    ]
    return sorted(_localized(cards), key=_required_first)  # stable: the others in tree order


def _localized(cards: list[ModuleCard]) -> list[ModuleCard]:
    """The cards with their module and the lesson to resume in the active language (the
    learner's language version, for titles and links): no query in the default language,
    else two whatever the number of modules. Counts and statuses stay the source's."""
    modules = localized_pages([card.module for card in cards])
    resume = localized_pages([card.resume_lesson for card in cards if card.resume_lesson])
    return [
        dataclasses.replace(
            card,
            module=modules[card.module.pk],
            resume_lesson=resume[card.resume_lesson.pk] if card.resume_lesson else None,
        )
        for card in cards
    ]


def learner_module(learner, module: ModulePage, lessons) -> ModuleCard:
    """The learner's card for one module, as My learning builds it, with every lesson's
    status: for the module page. `lessons` are the module's counted lessons in order (the
    page's own context), in the module's language; the learner's rows are their sources'
    (source_ids: one query more for a translation). Two queries (the lessons' rows, the
    module's row), and the content token when every lesson is done but the pass mark is not
    met. `lesson_statuses` are by the given lessons' ids."""
    source = source_ids([module, *lessons])
    by_source = learner_lesson_statuses(learner, [source[lesson.pk] for lesson in lessons])
    statuses = {
        lesson.pk: by_source[source[lesson.pk]]
        for lesson in lessons
        if source[lesson.pk] in by_source
    }
    done = {pk for pk, status in statuses.items() if status == ProgressStatus.COMPLETED}
    progress = ModuleProgress.objects.filter(learner=learner, module_id=source[module.pk]).first()

    def lessons_with_checks() -> frozenset[int]:
        found = lesson_structures(lesson_ids=[lesson.pk for lesson in lessons])
        return frozenset(pk for pk, lesson in found.items() if lesson.checks_by_id)

    return _module_card(module, lessons, done, progress, lessons_with_checks, statuses)


def _module_card(module, lessons, done, progress, lessons_with_checks, statuses=None) -> ModuleCard:
    completed = progress is not None and progress.completed_at is not None
    unfinished = [lesson for lesson in lessons if lesson.pk not in done]
    lessons_done = len(lessons) - len(unfinished)
    needs_pass_mark = not completed and bool(lessons) and not unfinished
    if completed:
        status, resume = ProgressStatus.COMPLETED, None
    elif unfinished:
        started = lessons_done > 0 or (progress is not None and progress.started_at is not None)
        status = ProgressStatus.IN_PROGRESS if started else ProgressStatus.NOT_STARTED
        resume = unfinished[0]
    else:
        status = ProgressStatus.IN_PROGRESS if lessons else ProgressStatus.NOT_STARTED
        # Every lesson done, the pass mark not reached: back to the first knowledge check.
        resume = next((lesson for lesson in lessons if lesson.pk in lessons_with_checks()), None)
    return ModuleCard(
        module=module,
        lessons=tuple(lessons),
        lessons_done=lessons_done,
        status=status,
        minutes_left=0 if completed else lessons_minutes(unfinished),
        resume_lesson=resume,
        needs_pass_mark=needs_pass_mark,
        progress=progress,
        lesson_statuses=statuses or {},
    )


def learner_lesson_statuses(learner, lesson_ids) -> dict[int, ProgressStatus]:
    """The learner's status in each of these lessons that they have started (one query)."""
    return {
        lesson_id: ProgressStatus(status)
        for lesson_id, status in LessonProgress.objects.filter(
            learner=learner, lesson_id__in=list(lesson_ids)
        ).values_list("lesson_id", "status")
    }


def learner_reflections(learner, lesson: LessonPage) -> dict[str, str]:
    """The learner's own reflections on a lesson (in any language: they are kept against the
    source lesson), by block id. Never another learner's."""
    return dict(
        Reflection.objects.filter(learner=learner, lesson_id=source_id(lesson)).values_list(
            "block_id", "text"
        )
    )


def learner_certificate(learner, module_id: int) -> ModuleProgress | None:
    """The learner's completed progress for a module (by its id or a translation's: the
    record is the source module's), with the module, or None. One query."""
    source = Page.objects.filter(pk=module_id).values("translation_key")[:1]
    return (
        ModuleProgress.objects.select_related("module")
        .filter(learner=learner, completed_at__isnull=False)
        .filter(Q(module_id=module_id) | Q(module__translation_key=Subquery(source)))
        .exclude(certificate_code=None)
        .first()
    )


def certificate_by_code(code: str) -> ModuleProgress | None:
    """A completed module progress row by certificate code, with the module. One query.
    Callers must show only what verification needs (module, date), never the learner."""
    if not code or len(code) > 32:
        return None
    return (
        ModuleProgress.objects.select_related("module")
        .filter(certificate_code=code, completed_at__isnull=False)
        .first()
    )
