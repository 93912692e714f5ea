"""All report reads go through here. Each selector says what it guarantees (scope, queries).

Sections are owned by different parts of the product; keep each one's code inside it.
"""

# --- Learner progress -------------------------------------------------------------------------


# --- Force reports ----------------------------------------------------------------------------


# --- Learner journey --------------------------------------------------------------------------

import dataclasses  # noqa: E402

from courses.models import (  # noqa: E402
    Force,
    LessonPage,
    LessonProgress,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
    Reflection,
)


def force_for_email(email: str) -> Force | None:
    """The active force whose email domains include this address's domain, else None.
    One query. Subdomains do not match: each force lists its domains explicitly."""
    domain = email.rsplit("@", 1)[-1].strip().lower()
    if not domain:
        return None
    return Force.objects.filter(is_active=True, email_domains__domain=domain).first()


def lesson_has_check(lesson: LessonPage) -> bool:
    """Whether the lesson body contains a knowledge check (reads the raw JSON, no block decode)."""
    return any(item.get("type") == "knowledge_check" for item in lesson.body.raw_data)


@dataclasses.dataclass(frozen=True)
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

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        if self.status == ProgressStatus.COMPLETED:
            return 100
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0


def learner_dashboard(learner) -> list[ModuleCard]:
    """Every live module, in tree order, with the learner's progress through its live lessons.

    Four queries whatever the number of modules: modules, lessons, the learner's completed
    lessons, the learner's module progress.
    """
    modules = list(ModulePage.objects.live().order_by("path"))
    lessons_by_parent: dict[str, list[LessonPage]] = {}
    for lesson in LessonPage.objects.live().order_by("path"):
        lessons_by_parent.setdefault(lesson.path[: -LessonPage.steplen], []).append(lesson)
    done = set(
        LessonProgress.objects.filter(learner=learner, status=ProgressStatus.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )
    progress = {p.module_id: p for p in ModuleProgress.objects.filter(learner=learner)}
    return [
        _module_card(m, lessons_by_parent.get(m.path, []), done, progress.get(m.pk))
        for m in modules
    ]


def _module_card(module, lessons, done, progress) -> ModuleCard:
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
        resume = next((lesson for lesson in lessons if lesson_has_check(lesson)), None)
    if completed:
        minutes_left = 0
    elif lessons:
        minutes_left = sum(lesson.estimated_minutes for lesson in unfinished)
    else:
        minutes_left = module.estimated_minutes
    return ModuleCard(
        module=module,
        lessons=tuple(lessons),
        lessons_done=lessons_done,
        status=status,
        minutes_left=minutes_left,
        resume_lesson=resume,
        needs_pass_mark=needs_pass_mark,
        progress=progress,
    )


@dataclasses.dataclass(frozen=True)
class LessonPosition:
    """Where a lesson sits in its module: "Lesson k of n", previous and next (live lessons)."""

    number: int
    total: int
    previous: LessonPage | None
    next: LessonPage | None


def lesson_position(lesson: LessonPage) -> LessonPosition:
    """One query: the live lessons of the lesson's module, in order."""
    siblings = list(
        LessonPage.objects.live().sibling_of(lesson, inclusive=True).order_by("path").defer("body")
    )
    ids = [s.pk for s in siblings]
    if lesson.pk not in ids:  # a draft being previewed
        return LessonPosition(number=0, total=len(siblings), previous=None, next=None)
    i = ids.index(lesson.pk)
    return LessonPosition(
        number=i + 1,
        total=len(siblings),
        previous=siblings[i - 1] if i > 0 else None,
        next=siblings[i + 1] if i + 1 < len(siblings) else None,
    )


def learner_lesson_status(learner, lesson: LessonPage) -> ProgressStatus:
    """The learner's status in one lesson (one query); NOT_STARTED without a progress row."""
    status = (
        LessonProgress.objects.filter(learner=learner, lesson=lesson)
        .values_list("status", flat=True)
        .first()
    )
    return ProgressStatus(status or ProgressStatus.NOT_STARTED)


def learner_reflections(learner, lesson: LessonPage) -> dict[str, str]:
    """The learner's own reflections on a lesson, by block id. Never another learner's."""
    return dict(
        Reflection.objects.filter(learner=learner, lesson=lesson).values_list("block_id", "text")
    )


def learner_certificate(learner, module_id: int) -> ModuleProgress | None:
    """The learner's completed progress for a module, with the module, or None. One query."""
    return (
        ModuleProgress.objects.select_related("module")
        .filter(learner=learner, module_id=module_id, completed_at__isnull=False)
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
