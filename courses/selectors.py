"""All report reads go through here. Each selector says what it guarantees (scope, queries).

Sections are owned by different parts of the product; keep each one's code inside it.
"""

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db import connection
from django.db.models import QuerySet
from django.utils import timezone
from wagtail.models import Page

from courses import structure
from courses.models import (
    ApiKey,
    Force,
    ForceModuleSummary,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
    Reflection,
)
from courses.rawsql import prepared_cursor, row_loader

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


# --- Force reports ----------------------------------------------------------------------------


def api_key_forces(*, api_key: ApiKey) -> QuerySet[Force]:
    """The forces a key may read, by name. The only source of a manager's scope."""
    return Force.objects.filter(api_keys=api_key).order_by("name")


def api_key_force(*, api_key: ApiKey, code: str) -> Force | None:
    """The force with this code if the key may read it, else None (one query): the same scope
    as api_key_forces(). Every manager request for a force's data asks, so the statement is
    written once rather than compiled by the ORM on every request (docs/benchmarks.md)."""
    return _first(Force, _API_KEY_FORCE_SQL, [api_key.pk, code])


def api_key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with this prefix (unique), revoked or not, or None (one query, written once:
    every manager request asks). Callers must still check the key's hash."""
    return _first(ApiKey, _API_KEY_SQL, [prefix])


def _first(model, sql: str, params: list):
    loader = row_loader(model, connection.alias, "t")
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(sql.format(columns=loader.columns), params)
        row = cursor.fetchone()
    return loader.load(row) if row else None


_scope = ApiKey.forces.through._meta
# Names from model metadata; values are parameters.
_API_KEY_FORCE_SQL = (
    f"SELECT {{columns}} FROM {Force._meta.db_table} t "  # noqa: S608
    f"JOIN {_scope.db_table} scope "
    f"ON scope.{_scope.get_field('force').column} = t.{Force._meta.pk.column} "
    f"WHERE scope.{_scope.get_field('apikey').column} = %s AND t.code = %s"
)
_API_KEY_SQL = f"SELECT {{columns}} FROM {ApiKey._meta.db_table} t WHERE t.prefix = %s"  # noqa: S608
_page_pk, _module_pk = Page._meta.pk.column, ModulePage._meta.pk.column
_MODULE_SLUGS_SQL = (
    f"SELECT p.{_page_pk}, p.slug FROM {Page._meta.db_table} p "  # noqa: S608
    f"JOIN {ModulePage._meta.db_table} m ON m.{_module_pk} = p.{_page_pk}"
)


def published_modules() -> QuerySet[ModulePage]:
    """Live modules in tree order (one query)."""
    return ModulePage.objects.live().order_by("path")


def module_lesson_counts(*, modules: Iterable[ModulePage]) -> dict[int, int]:
    """Live lessons per module id that count towards it (structure.counted_lessons), from one
    query over lesson paths (no query per module)."""
    by_path = {module.path: module.pk for module in modules}
    if not by_path:
        return {}
    counts = dict.fromkeys(by_path.values(), 0)
    step = ModulePage.steplen
    lesson_paths = structure.counted_lessons(LessonPage.objects.all()).values_list(
        "path", flat=True
    )
    for path in lesson_paths.filter(depth__in={len(p) // step + 1 for p in by_path}):
        module_id = by_path.get(path[:-step])
        if module_id is not None:
            counts[module_id] += 1
    return counts


@dataclass(frozen=True)
class ModuleSummary:
    module: ModulePage
    learners: int
    not_started: int
    in_progress: int
    completed: int
    completion_rate: float | None
    average_score: float | None


@dataclass(frozen=True)
class ForceSummary:
    force: Force
    learners: int
    modules: list[ModuleSummary]
    not_started: int
    in_progress: int
    completed: int
    completion_rate: float | None
    average_score: float | None


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def force_summary(*, force: Force) -> ForceSummary:
    """Completion per published module for one force, and the force's totals.

    "Learners" are the force's learner profiles, so "not started" includes learners with no
    progress row. Counts are those of the force's ModuleProgress rows (the force at the time
    of learning), read from ForceModuleSummary: the running totals that database triggers keep
    in step with those rows, so the largest force costs what the smallest does. 3 queries
    whatever the number of learners, rows or modules: the content token (the published
    modules are the process's copy, courses.structure.outline), the learner count, the totals.
    """
    modules = list(structure.outline().modules)
    learners = LearnerProfile.objects.filter(force=force).count()
    groups = ForceModuleSummary.objects.filter(
        force=force, module__in=[m.pk for m in modules]
    ).values("module_id", "in_progress", "completed", "scored", "score_total")
    by_module = {row["module_id"]: row for row in groups}
    rows, scored, score_total = [], 0, 0
    for module in modules:
        group = by_module.get(module.pk, {})
        in_progress, completed = group.get("in_progress", 0), group.get("completed", 0)
        scored += group.get("scored", 0)
        score_total += group.get("score_total") or 0
        rows.append(
            ModuleSummary(
                module=module,
                learners=learners,
                # A learner who moved force keeps their rows with the old force; never < 0.
                not_started=max(learners - in_progress - completed, 0),
                in_progress=in_progress,
                completed=completed,
                completion_rate=_percent(completed, learners),
                average_score=(
                    round(group["score_total"] / group["scored"], 1)
                    if group.get("scored")
                    else None
                ),
            )
        )
    completed = sum(row.completed for row in rows)
    return ForceSummary(
        force=force,
        learners=learners,
        modules=rows,
        not_started=sum(row.not_started for row in rows),
        in_progress=sum(row.in_progress for row in rows),
        completed=completed,
        completion_rate=_percent(completed, learners * len(rows)),
        average_score=round(score_total / scored, 1) if scored else None,
    )


# What a completions row carries: flat values joined in by one query.
COMPLETION_VALUES = (
    "id",
    "status",
    "lessons_completed",
    "lessons_total",
    "score",
    "started_at",
    "completed_at",
    "learner_id",
    "learner__first_name",
    "learner__last_name",
    "learner__email",
    "learner__learner_profile__staff_number",
    "learner__learner_profile__role",
    "module_id",  # the slug comes from module_slugs()
)


def force_completions(*, force: Force) -> QuerySet[dict]:
    """Every (learner, module) progress row of one force, ordered by id, as dicts of
    COMPLETION_VALUES (learner and profile joined in one query; no model instances, which cost
    more than the query on a 1,000-row page).

    The module's slug is not read per row: module_slugs() gives every module's in one query.
    Joining the page table through the module's (five tables) took PostgreSQL longer to plan
    than to run, 3.4-3.8 ms a page; a correlated subquery on the page row then scanned the
    page table once per row, 1.2 ms of a 100-row page's 2.6 ms, and 600,000 times for the
    Met's CSV export."""
    return ModuleProgress.objects.filter(force=force).values(*COMPLETION_VALUES).order_by("id")


def module_slugs() -> dict[int, str]:
    """Every module page's slug by id, published or not (progress rows keep theirs, and a
    module with progress cannot be deleted). One query of a few dozen rows, written once (it
    costs less than the ORM compiling it)."""
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(_MODULE_SLUGS_SQL)
        return dict(cursor.fetchall())


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

    @property
    def lessons_total(self) -> int:
        return len(self.lessons)

    @property
    def percent(self) -> int:
        if self.status == ProgressStatus.COMPLETED:
            return 100
        return round(100 * self.lessons_done / self.lessons_total) if self.lessons_total else 0

    @property
    def state(self) -> tuple:
        """Everything the card shows of this learner's, beside the module's own content: cards
        in the same state look the same (courses.rendered keeps one rendering for them all)."""
        completed_on = score = None
        if self.status == ProgressStatus.COMPLETED:
            completed_on = timezone.localdate(self.progress.completed_at)
        elif self.needs_pass_mark and self.progress is not None:
            score = self.progress.score
        return (
            self.module.pk,
            self.status,
            self.lessons_done,
            self.lessons_total,
            self.minutes_left,
            self.needs_pass_mark,
            getattr(self.resume_lesson, "pk", None),
            completed_on,
            score,
        )


def learner_dashboard(learner, outline: structure.Outline | None = None) -> list[ModuleCard]:
    """Every live module, in tree order, with the learner's progress through its live lessons.

    The modules and lessons come from `outline` (courses.structure's copy per process; read
    when not given), and so do the lessons with knowledge checks, for modules that wait only
    for their pass mark. Then two queries whatever the number of modules: the learner's
    completed lessons and module progress.
    """
    outline = outline or structure.outline()
    modules, lessons_by_parent = outline.modules, outline.lessons
    done = set(
        LessonProgress.objects.filter(learner=learner, status=ProgressStatus.COMPLETED).values_list(
            "lesson_id", flat=True
        )
    )
    progress = {p.module_id: p for p in ModuleProgress.objects.filter(learner=learner)}

    @functools.cache
    def lessons_with_checks() -> frozenset[int]:
        """Read once per page, and only if a module waits for its pass mark."""
        ids = [lesson.pk for lessons in lessons_by_parent.values() for lesson in lessons]
        found = structure.lessons(ids, token=outline.token)
        return frozenset(pk for pk, lesson in found.items() if lesson.checks_by_id)

    return [
        _module_card(
            m, lessons_by_parent.get(m.path, []), done, progress.get(m.pk), lessons_with_checks
        )
        for m in modules
    ]


def _module_card(module, lessons, done, progress, lessons_with_checks) -> ModuleCard:
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


@dataclass(frozen=True)
class LessonPosition:
    """Where a lesson sits in its module: "Lesson k of n", previous and next (live lessons)."""

    number: int
    total: int
    previous: LessonPage | None
    next: LessonPage | None


def lesson_position(lesson: LessonPage) -> LessonPosition:
    """One query: the live lessons of the lesson's module, in order, with the fields
    courses.structure keeps for a served lesson's neighbours (served_place answers the same
    from the process's copy). A draft being previewed is placed by its position in the tree."""
    siblings = list(lesson.get_siblings(inclusive=True).live().only(*structure.SIBLING_FIELDS))
    if lesson.pk not in {page.pk for page in siblings}:
        siblings = sorted([*siblings, lesson], key=lambda page: page.path)
    i = [page.pk for page in siblings].index(lesson.pk)
    return LessonPosition(
        number=i + 1,
        total=len(siblings),
        previous=siblings[i - 1] if i > 0 else None,
        next=siblings[i + 1] if i + 1 < len(siblings) else None,
    )


def learner_lesson_status(learner, lesson: LessonPage) -> ProgressStatus:
    """The learner's status in one lesson (one query); NOT_STARTED without a progress row.

    Every lesson page asks, so the statement is written once rather than compiled by the ORM
    on every view, which cost more than the rest of the page's queries (docs/benchmarks.md).
    """
    with prepared_cursor(connection.alias) as cursor:
        cursor.execute(_LESSON_STATUS_SQL, [learner.pk, lesson.pk])
        row = cursor.fetchone()
    return ProgressStatus(row[0] if row else ProgressStatus.NOT_STARTED)


_column = {name: LessonProgress._meta.get_field(name).column for name in ("learner", "lesson")}
# One row at most: (learner, lesson) is unique. Names from model metadata; values are parameters.
_LESSON_STATUS_SQL = (
    f"SELECT status FROM {LessonProgress._meta.db_table} "  # noqa: S608
    f"WHERE {_column['learner']} = %s AND {_column['lesson']} = %s"
)


def learner_completed_module_of(learner, lesson: LessonPage) -> bool:
    """Whether the learner had already completed the lesson's module (one query)."""
    return ModuleProgress.objects.filter(
        learner=learner,
        module__path=lesson.path[: -LessonPage.steplen],
        completed_at__isnull=False,
    ).exists()


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
