"""ForceModuleSummary: the running totals per (force, module) that the force summary reads,
kept by courses.progress.totals in the transaction of every write to ModuleProgress. Every
write path must keep them equal to a recount, and no database trigger keeps them any more."""

import re
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, Q, Sum
from django.utils import timezone

from courses import services
from courses.models import (
    ForceModuleSummary,
    ModuleProgress,
    Pathway,
    PathwayStep,
    ProgressStatus,
)
from courses.progress import totals as progress_totals
from courses.progress.totals import RowState
from tests.conftest import build_module_tree, complete_module
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


# The application's modules that write ModuleProgress rows, each with the test below that
# proves it keeps the totals equal to a recount.
WRITE_PATHS = {
    "courses/progress/engine.py": "test_the_progress_service_keeps_the_totals",
    "courses/progress/totals.py": "test_rebuild_recounts_totals_that_drifted",
    "courses/services/moves.py": "test_moving_a_learner_keeps_the_totals",
    "courses/services/enrolments.py": "test_enrolling_and_releasing_keeps_the_totals",
    "courses/privacy.py": "test_erasing_a_learner_keeps_the_totals",  # certificate codes only
    "courses/management/commands/seed_scale.py": (
        "tests/courses/test_seed_scale.py::test_seed_scale_adds_to_existing_data_without_clashing"
    ),
    # Reads module rows; writes only Reminder rows and the learner's choice.
    "courses/services/reminders.py": (
        "tests/courses/test_reminders.py::test_reminders_keep_the_totals"
    ),
}
WRITE = re.compile(
    r"\.(update|create|bulk_create|bulk_update|get_or_create|update_or_create|delete|save)\("
)


def test_every_module_that_writes_progress_rows_is_a_known_write_path():
    """A module that names ModuleProgress or ForceModuleSummary and writes models must be one
    of WRITE_PATHS, so a new writer cannot skip the totals without a test saying it keeps
    them."""
    root = Path(__file__).resolve().parents[2]
    writers = set()
    for app in ("cms", "courses", "home", "bench"):
        for path in (root / app).glob("**/*.py"):
            relative = path.relative_to(root).as_posix()
            text = path.read_text()
            if "/migrations/" in relative or not WRITE.search(text):
                continue
            if re.search(r"\b(ModuleProgress|ForceModuleSummary)\b", text):
                writers.add(relative)
    assert writers == set(WRITE_PATHS)


@pytest.fixture
def module(home_page):
    return build_module_tree(home_page).module


def test_no_database_trigger_keeps_the_totals(db):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal "
                "AND tgrelid = 'courses_moduleprogress'::regclass"
            )
            found = cursor.fetchall()
            cursor.execute("SELECT proname FROM pg_proc WHERE proname LIKE 'courses_%%'")
            found += cursor.fetchall()
        else:
            cursor.execute(
                "SELECT name FROM sqlite_master "
                "WHERE type = 'trigger' AND tbl_name LIKE 'courses_%'"
            )
            found = cursor.fetchall()
    assert found == []


def test_created_changed_moved_and_deleted_rows_change_the_totals(module):
    a, b = learner("met"), learner("met")
    row = ModuleProgressFactory(learner=a, module=module, status=ProgressStatus.IN_PROGRESS)
    ModuleProgressFactory(learner=b, module=module, completed=True, score=90)
    assert totals() == {("met", module.pk): (1, 1, 1, 90)} == counted()

    before = RowState.of(row)
    ModuleProgress.objects.filter(pk=row.pk).update(
        status=ProgressStatus.COMPLETED, score=70, completed_at=timezone.now()
    )
    row.refresh_from_db()
    progress_totals.totals_update([(before, RowState.of(row))])
    assert totals() == {("met", module.pk): (0, 2, 2, 160)} == counted()

    before = RowState.of(row)
    ModuleProgress.objects.filter(pk=row.pk).update(force=force("gmp"))
    row.refresh_from_db()
    progress_totals.totals_update([(before, RowState.of(row))])
    assert totals() == {("met", module.pk): (0, 1, 1, 90), ("gmp", module.pk): (0, 1, 1, 70)}
    assert totals() == counted()

    before = RowState.of(row)
    row.delete()
    progress_totals.totals_update([(before, None)])
    assert totals() == {("met", module.pk): (0, 1, 1, 90)} == counted()


def test_a_change_that_counts_nothing_writes_nothing(module, django_assert_num_queries):
    row = ModuleProgressFactory(learner=learner("met"), module=module)
    placeholder = RowState(row.force_id, module.pk, ProgressStatus.NOT_STARTED, None)
    no_force = RowState(None, module.pk, ProgressStatus.COMPLETED, 80)
    with django_assert_num_queries(0):  # nothing countable changed: no totals row touched
        progress_totals.totals_update(
            [(RowState.of(row), RowState.of(row)), (None, placeholder), (None, no_force)]
        )


def test_totals_update_query_count(module, django_assert_num_queries):
    row = ModuleProgressFactory(learner=learner("met"), module=module)
    done = RowState(row.force_id, module.pk, ProgressStatus.COMPLETED, 90)
    with django_assert_num_queries(1):  # the totals row exists: one F() UPDATE
        progress_totals.totals_update([(RowState.of(row), done)])
    moved = RowState(force("gmp").pk, module.pk, ProgressStatus.COMPLETED, 90)
    # Two (force, module)s, one without a totals row yet: the UPDATE of the existing one; for
    # the new one, an UPDATE that finds nothing, the INSERT (conflicts ignored), the UPDATE.
    with django_assert_num_queries(4):
        progress_totals.totals_update([(done, moved)])
    assert totals() == {("gmp", module.pk): (0, 1, 1, 90)}


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


def test_a_batch_over_several_modules_keeps_the_totals(home_page):
    trees = [build_module_tree(home_page, title=f"Module {i}", lessons=1) for i in range(3)]
    officer = learner("met")
    events = [
        {"event_id": uuid.uuid4(), "lesson": tree.lessons[0], "verb": verb}
        for tree in trees
        for verb in ("experienced", "completed")
    ]
    services.progress_record_many(learner=officer, events=events)
    # Each one-lesson module: the lesson is done, the check not answered yet.
    assert totals() == {("met", tree.module.pk): (1, 0, 0, 0) for tree in trees} == counted()


def test_moving_a_learner_keeps_the_totals(home_page):
    done, started = (build_module_tree(home_page, title=t) for t in ("Done", "Started"))
    officer = learner("met")
    complete_module(officer, done)
    services.progress_record(
        learner=officer, event_id=uuid.uuid4(), lesson=started.lessons[0], verb="completed"
    )
    services.learner_move(learner=officer, force=force("gmp"))
    # The completed module stays with the Met; the open one moves.
    assert totals() == {
        ("met", done.module.pk): (0, 1, 1, 100),
        ("gmp", started.module.pk): (1, 0, 0, 0),
    }
    assert totals() == counted()


def test_enrolling_and_releasing_keeps_the_totals(home_page):
    """Enrolment rows are created not started and only their enrolment fields change, so
    the totals (which ignore not-started rows) are untouched: no totals call is needed."""
    done, fresh = (build_module_tree(home_page, title=t) for t in ("Done", "Fresh"))
    finished, other = learner("met", role="pcso"), learner("gmp", role="pcso")
    complete_module(finished, done)
    pathway = Pathway.objects.create(role="pcso")
    for tree in (done, fresh):
        PathwayStep.objects.create(pathway=pathway, module=tree.module)
    expected = totals()
    assert services.enrolments_sync().enrolled == 4  # three new rows, one completed marked
    assert totals() == expected == counted()
    other.is_active = False
    other.save()
    pathway.delete()
    assert services.enrolments_sync().released == 3
    assert totals() == expected == counted()


def test_erasing_a_learner_keeps_the_totals(home_page):
    tree = build_module_tree(home_page)
    officer = learner("met")
    complete_module(officer, tree)
    expected = totals()
    services.learner_erase(user=officer)
    assert totals() == expected == counted()


def test_rebuild_recounts_totals_that_drifted(module):
    ModuleProgressFactory(learner=learner("met"), module=module, completed=True, score=80)
    ModuleProgressFactory(learner=learner("gmp"), module=module)
    # Rows written around the write paths (SQL, a restored backup): the totals are wrong.
    ModuleProgress.objects.filter(force=force("gmp")).update(score=40)
    ForceModuleSummary.objects.filter(force=force("met")).delete()
    assert totals() != counted()

    out = StringIO()
    call_command("rebuild_totals", stdout=out)
    assert totals() == counted()
    assert "2 (force, module) row(s) changed" in out.getvalue()
    assert progress_totals.totals_rebuild() == 0  # already exact: nothing changes
