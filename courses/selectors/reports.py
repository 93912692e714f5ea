"""Report reads: managers' API keys' scope, force summaries and completions."""

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from courses.models import (
    ApiKey,
    Force,
    ForceModuleSummary,
    LearnerProfile,
    LessonPage,
    ModulePage,
    ModuleProgress,
    ProgressStatus,
    counted_lessons,
    in_default_locale,
    lessons_minutes,
)

# --- Force reports ----------------------------------------------------------------------------


def api_key_forces(*, api_key: ApiKey) -> QuerySet[Force]:
    """The forces a key may read, by name. The only source of a manager's scope."""
    return Force.objects.filter(api_keys=api_key).order_by("name")


def api_key_force(*, api_key: ApiKey, code: str) -> Force | None:
    """The force with this code if the key may read it, else None (one query): the same scope
    as api_key_forces()."""
    return Force.objects.filter(api_keys=api_key, code=code).first()


def api_key_by_prefix(prefix: str) -> ApiKey | None:
    """The key with this prefix (unique), revoked or not, or None (one query). Callers must
    still check the key's hash."""
    return ApiKey.objects.filter(prefix=prefix).first()


def published_modules() -> QuerySet[ModulePage]:
    """Live modules in tree order, in the default locale: each module once, as progress is
    recorded against it whatever the learner's language (one query)."""
    return in_default_locale(ModulePage.objects.live()).order_by("path")


@dataclass(frozen=True)
class ModuleLessons:
    """What a module's counted lessons add up to."""

    count: int
    minutes: int  # lessons_minutes(): the module's time wherever it is shown


def module_lessons(*, modules: Iterable[ModulePage]) -> dict[int, ModuleLessons]:
    """Live lessons per module id that count towards it (counted_lessons), and their time,
    from one query over lesson paths and estimates (no query per module)."""
    by_path = {module.path: module.pk for module in modules}
    if not by_path:
        return {}
    found: dict[int, list[LessonPage]] = {module_id: [] for module_id in by_path.values()}
    step = ModulePage.steplen
    lessons = counted_lessons(LessonPage.objects.all()).only("path", "estimated_minutes")
    for lesson in lessons.filter(depth__in={len(p) // step + 1 for p in by_path}):
        module_id = by_path.get(lesson.path[:-step])
        if module_id is not None:
            found[module_id].append(lesson)
    return {
        module_id: ModuleLessons(len(lessons), lessons_minutes(lessons))
        for module_id, lessons in found.items()
    }


@dataclass(frozen=True)
class ModuleSummary:
    module: ModulePage
    learners: int
    not_started: int
    in_progress: int
    completed: int
    completion_rate: float | None
    average_score: float | None
    required: int = 0  # learners whose role's pathway requires the module (done or not)
    overdue: int = 0  # of those, not completed and past their due date


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
    required: int = 0
    overdue: int = 0


def overdue_q(now=None) -> Q:
    """A module row that is required, not completed, and past its due time."""
    return Q(required=True, status__lt=ProgressStatus.COMPLETED, due_at__lt=now or timezone.now())


def _enrolments(*, force: Force, module_ids: list[int]) -> dict[int, dict]:
    """Required and overdue rows per module of one force, in one grouped query read from
    moduleprogress_required_idx alone (partial on required, covering module, due_at and status)."""
    rows = (
        ModuleProgress.objects.filter(force=force, required=True, module_id__in=module_ids)
        .values("module_id")
        .annotate(enrolled=Count("pk"), late=Count("pk", filter=overdue_q()))
        .order_by()
    )
    return {row["module_id"]: row for row in rows}


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def force_summary(*, force: Force) -> ForceSummary:
    """Completion per published module for one force, and the force's totals.

    "Learners" are the force's learner profiles, so "not started" includes learners with no
    progress row. Counts are those of the force's ModuleProgress rows (the force at the time
    of learning), read from ForceModuleSummary: the running totals that every write of those
    rows updates in its own transaction (courses.progress.totals), so the largest force costs
    what the smallest does. `required` and `overdue` count the force's enrolments (module rows
    a role's pathway requires) from one grouped query on an index of those rows only. 4 queries
    whatever the number of learners, rows or modules: the published modules, the learner
    count, the totals, the enrolments.
    """
    modules = list(published_modules())
    learners = LearnerProfile.objects.filter(force=force).count()
    groups = ForceModuleSummary.objects.filter(
        force=force, module__in=[m.pk for m in modules]
    ).values("module_id", "in_progress", "completed", "scored", "score_total")
    by_module = {row["module_id"]: row for row in groups}
    enrolments = _enrolments(force=force, module_ids=[m.pk for m in modules])
    rows, scored, score_total = [], 0, 0
    for module in modules:
        group = by_module.get(module.pk, {})
        enrolled = enrolments.get(module.pk, {})
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
                required=enrolled.get("enrolled", 0),
                overdue=enrolled.get("late", 0),
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
        required=sum(row.required for row in rows),
        overdue=sum(row.overdue for row in rows),
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
    "required",
    "due_at",
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
    module with progress cannot be deleted). One query of a few dozen rows."""
    return dict(ModulePage.objects.values_list("id", "slug"))
