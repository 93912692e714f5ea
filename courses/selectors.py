"""All report reads go through here. Each selector says what it guarantees (scope, queries).

Sections are owned by different parts of the product; keep each one's code inside it.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from courses.models import (
    ApiKey,
    Force,
    ForceModuleSummary,
    LearnerProfile,
    LessonPage,
    LessonProgress,
    ModulePage,
    ModuleProgress,
)

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


def published_modules() -> QuerySet[ModulePage]:
    """Live modules in tree order (one query)."""
    return ModulePage.objects.live().order_by("path")


def module_lesson_counts(*, modules: Iterable[ModulePage]) -> dict[int, int]:
    """Live lessons per module id, from one query over lesson paths (no query per module)."""
    by_path = {module.path: module.pk for module in modules}
    if not by_path:
        return {}
    counts = dict.fromkeys(by_path.values(), 0)
    step = ModulePage.steplen
    lesson_paths = LessonPage.objects.live().values_list("path", flat=True)
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
    whatever the number of learners, rows or modules.
    """
    modules = list(published_modules())
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
    "module__slug",
)


def force_completions(*, force: Force) -> QuerySet[dict]:
    """Every (learner, module) progress row of one force, ordered by id, as dicts of
    COMPLETION_VALUES (learner, profile and module joined in one query; no model instances,
    which cost more than the query on a 1,000-row page). Reads the (force, id) index."""
    return ModuleProgress.objects.filter(force=force).values(*COMPLETION_VALUES).order_by("id")
