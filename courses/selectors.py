"""All report reads go through here. Each selector says what it guarantees (scope, queries).

Sections are owned by different parts of the product; keep each one's code inside it.
"""

from collections import defaultdict

from courses.models import LessonProgress, ModuleProgress

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
