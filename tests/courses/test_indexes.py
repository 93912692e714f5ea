"""The tables every progress event writes carry no index that another index already covers.

Each index is written on every insert (and, on PostgreSQL, on every update it cannot make in
place), so an index whose columns start another index's is paid for on every event and never
needed: the longer index answers the same lookups (migration 0010).
"""

import pytest
from django.db import connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.utils import IntegrityError

from courses.models import (
    ForceModuleSummary,
    KnowledgeCheckResult,
    LessonProgress,
    ModuleProgress,
    ProgressEvent,
)
from tests.factories import ModuleProgressFactory

WRITTEN_BY_PROGRESS = [
    ProgressEvent,
    LessonProgress,
    ModuleProgress,
    KnowledgeCheckResult,
    ForceModuleSummary,
]


def indexes(model) -> dict[str, tuple[str, ...]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, model._meta.db_table)
    return {
        name: tuple(info["columns"])
        for name, info in found.items()
        if info["index"] or info["unique"] or info["primary_key"]
    }


@pytest.mark.django_db
@pytest.mark.parametrize("model", WRITTEN_BY_PROGRESS, ids=lambda m: m.__name__)
def test_no_index_is_covered_by_another(model):
    found = indexes(model)
    covered = [
        (name, other)
        for name, columns in found.items()
        for other, longer in found.items()
        if other != name and len(longer) > len(columns) and longer[: len(columns)] == columns
    ]
    assert covered == [], f"{model.__name__}: index covered by a longer one: {covered}"


@pytest.mark.django_db
def test_each_foreign_key_is_still_the_start_of_an_index():
    """Dropping the covered indexes left every foreign key reachable by an index (deleting a
    learner, a force or a page checks the rows that point at it)."""
    for model in WRITTEN_BY_PROGRESS:
        starts = {columns[0] for columns in indexes(model).values() if columns}
        for field in model._meta.concrete_fields:
            if field.is_relation:
                assert field.column in starts, f"{model.__name__}.{field.name} has no index"


def test_certificate_codes_stay_unique_among_issued_codes(module_tree):
    module = module_tree.module
    ModuleProgressFactory(module=module, completed=True, certificate_code="K7QD-3MXR-9TWA")
    ModuleProgressFactory(module=module)  # any number of rows without a code
    ModuleProgressFactory(module=module)
    with pytest.raises(IntegrityError), transaction.atomic():
        ModuleProgressFactory(module=module, completed=True, certificate_code="K7QD-3MXR-9TWA")
    assert ModuleProgress.objects.filter(certificate_code="K7QD-3MXR-9TWA").count() == 1
    assert ModuleProgress.objects.filter(certificate_code__isnull=True).count() == 2


def summary_triggers() -> int:
    """How many of migration 0005's triggers the module rows' table has."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT count(*) FROM pg_trigger WHERE tgname LIKE 'moduleprogress_summary_%%'"
            )
        else:
            cursor.execute(
                "SELECT count(*) FROM sqlite_master WHERE type = 'trigger' "
                "AND name LIKE 'moduleprogress_summary_%'"
            )
        return cursor.fetchone()[0]


# Real migrations, committed; serialized_rollback restores the forces loaded by migration 0002.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migrations_0010_and_0015_undo_and_redo(db):
    """Migration 0010 drops an index (on SQLite by rebuilding the module rows' table, which
    must keep the summary triggers of 0005 while they exist); migration 0015 drops those
    triggers, and undoing it recreates them."""
    dropped = "courses_progressevent_learner_id_d381e173"

    def migrate(target):
        executor = MigrationExecutor(connection)
        executor.loader.build_graph()
        executor.migrate([("courses", target)])

    # Where the test leaves the database: every migration applied, as the next test expects.
    (newest,) = MigrationExecutor(connection).loader.graph.leaf_nodes("courses")
    assert summary_triggers() == 0
    try:
        migrate("0009_progress_record_checks_token")
        assert dropped in indexes(ProgressEvent)
        assert summary_triggers() == 3
        migrate("0014_delete_usersession")
        assert dropped not in indexes(ProgressEvent)
        assert summary_triggers() == 3
    finally:
        migrate(newest[1])
    assert summary_triggers() == 0
