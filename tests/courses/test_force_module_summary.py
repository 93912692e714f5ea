"""ForceModuleSummary: the running totals per (force, module) that the force summary reads,
kept by database triggers. Every kind of write to ModuleProgress must keep them exact."""

import uuid

import pytest
from django.db.models import Count, Q, Sum
from django.utils import timezone

from courses import services
from courses.models import ForceModuleSummary, ModuleProgress, ProgressStatus
from tests.conftest import build_module_tree
from tests.factories import KNOWLEDGE_CHECK, ModuleProgressFactory, force, learner


def totals():
    """{(force code, module id): (in progress, completed, scored, score total)} as kept."""
    return {
        (row.force.code, row.module_id): (
            row.in_progress,
            row.completed,
            row.scored,
            row.score_total,
        )
        for row in ForceModuleSummary.objects.select_related("force")
        if (row.in_progress, row.completed, row.scored, row.score_total) != (0, 0, 0, 0)
    }


def counted():
    """The same totals, counted from the rows."""
    return {
        (row["force__code"], row["module_id"]): (
            row["in_progress"],
            row["completed"],
            row["scored"],
            row["score_total"],
        )
        for row in ModuleProgress.objects.filter(force__isnull=False)
        .values("force__code", "module_id")
        .annotate(
            in_progress=Count("pk", filter=Q(status=ProgressStatus.IN_PROGRESS)),
            completed=Count("pk", filter=Q(status=ProgressStatus.COMPLETED)),
            scored=Count("score"),
            score_total=Sum("score", default=0),
        )
        .order_by()
        if (row["in_progress"], row["completed"], row["scored"], row["score_total"]) != (0, 0, 0, 0)
    }


@pytest.fixture
def module(home_page):
    return build_module_tree(home_page).module


def test_insert_update_and_delete_keep_the_totals(module):
    a, b = learner("met"), learner("met")
    row = ModuleProgressFactory(learner=a, module=module, status=ProgressStatus.IN_PROGRESS)
    ModuleProgressFactory(learner=b, module=module, completed=True, score=90)
    assert totals() == {("met", module.pk): (1, 1, 1, 90)} == counted()

    ModuleProgress.objects.filter(pk=row.pk).update(
        status=ProgressStatus.COMPLETED, score=70, completed_at=timezone.now()
    )
    assert totals() == {("met", module.pk): (0, 2, 2, 160)} == counted()

    ModuleProgress.objects.filter(pk=row.pk).update(lessons_completed=3)  # not a total
    assert totals() == {("met", module.pk): (0, 2, 2, 160)}

    ModuleProgress.objects.filter(pk=row.pk).delete()
    assert totals() == {("met", module.pk): (0, 1, 1, 90)} == counted()


def test_a_row_moved_to_another_force_moves_its_counts(module):
    row = ModuleProgressFactory(learner=learner("met"), module=module, completed=True, score=80)
    ModuleProgress.objects.filter(pk=row.pk).update(force=force("gmp"))
    assert totals() == {("gmp", module.pk): (0, 1, 1, 80)} == counted()


def test_rows_without_a_force_are_not_counted(module):
    ModuleProgressFactory(learner=learner("met"), module=module, force=None, completed=True)
    assert totals() == {} == counted()


def test_the_progress_service_keeps_the_totals(home_page):
    tree = build_module_tree(home_page)
    officer = learner("gmp")
    for lesson in tree.lessons:
        services.progress_record(
            learner=officer, event_id=uuid.uuid4(), lesson=lesson, verb="completed"
        )
    # Every lesson done but the check not answered: in progress, no score yet.
    assert totals() == {("gmp", tree.module.pk): (1, 0, 0, 0)} == counted()
    services.progress_record(
        learner=officer,
        event_id=uuid.uuid4(),
        lesson=tree.lessons[-1],
        verb="answered",
        result={"block_id": tree.check_block_id, "answers": [1]},
    )
    assert KNOWLEDGE_CHECK["options"][1]["is_correct"]  # so the score is 100
    assert totals() == {("gmp", tree.module.pk): (0, 1, 1, 100)} == counted()
