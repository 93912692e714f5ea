"""Drop indexes that other indexes already cover, and index certificate codes only where issued.

Every progress event writes to the ledger and, often, to the learner's module row, and each
index on those tables is written too (every index, for an update that PostgreSQL cannot make in
place). Django gives each foreign key an index of its own; where a composite index or unique
constraint starts with the same column, that index answers the same lookups and the single one
is only written, never needed:

- progressevent.learner_id (event_learner_recorded_idx: learner, recorded_at);
- lessonprogress.learner_id (lessonprogress_unique: learner, lesson);
- moduleprogress.learner_id (moduleprogress_unique: learner, module);
- moduleprogress.force_id (moduleprogress_summary_idx and two more start with force);
- knowledgecheckresult.learner_id (checkresult_unique: learner, lesson, block);
- forcemodulesummary.force_id (forcemodulesummary_unique: force, module).

The indexes are dropped by name (Django's names are the same on every database), leaving the
foreign keys alone: Django's own AlterField drops and re-adds each constraint, which checks
every row again under an exclusive lock. certificate_code was UNIQUE over every module row
(twice on PostgreSQL, with a pattern index no query uses); it is now unique among issued codes,
a partial index of the completed rows.

On SQLite, changing certificate_code rebuilds the module rows' table, and SQLite drops a
table's triggers with it: the triggers that keep the per-force totals (migration 0005) are
made again after the rebuild, both ways.
"""

import importlib

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

SUMMARY = importlib.import_module("courses.migrations.0005_force_module_summary")

# (table, column, index name) as Django created them in 0001.
DROPPED = [
    ("courses_progressevent", "learner_id", "courses_progressevent_learner_id_d381e173"),
    ("courses_lessonprogress", "learner_id", "courses_lessonprogress_learner_id_c8475ab2"),
    ("courses_moduleprogress", "learner_id", "courses_moduleprogress_learner_id_94a3e22d"),
    ("courses_moduleprogress", "force_id", "courses_moduleprogress_force_id_9fdd48ab"),
    (
        "courses_knowledgecheckresult",
        "learner_id",
        "courses_knowledgecheckresult_learner_id_9143bb5f",
    ),
    ("courses_forcemodulesummary", "force_id", "courses_forcemodulesummary_force_id_c5ec87b9"),
]


def remake_sqlite_triggers(apps, schema_editor):
    """SQLite only: the force-summary triggers, which a table rebuild drops."""
    if schema_editor.connection.vendor != "sqlite":
        return
    for drop in SUMMARY.SQLITE_DROP:
        schema_editor.execute(drop.replace("DROP TRIGGER", "DROP TRIGGER IF EXISTS"), params=None)
    for create in SUMMARY.SQLITE:
        schema_editor.execute(create, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0009_progress_record_checks_token"),
        ("wagtailcore", "0098_apitoken"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.RunSQL(
                    f'DROP INDEX IF EXISTS "{name}"',
                    reverse_sql=f'CREATE INDEX "{name}" ON "{table}" ("{column}")',
                )
                for table, column, name in DROPPED
            ],
            state_operations=[
                migrations.AlterField(
                    model_name="forcemodulesummary",
                    name="force",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="+",
                        to="courses.force",
                    ),
                ),
                migrations.AlterField(
                    model_name="knowledgecheckresult",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="check_results",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="lessonprogress",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="lesson_progress",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="moduleprogress",
                    name="force",
                    field=models.ForeignKey(
                        db_index=False,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="module_progress",
                        to="courses.force",
                    ),
                ),
                migrations.AlterField(
                    model_name="moduleprogress",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="module_progress",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                migrations.AlterField(
                    model_name="progressevent",
                    name="learner",
                    field=models.ForeignKey(
                        db_index=False,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="progress_events",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
        ),
        # Undoing the change below rebuilds the table again.
        migrations.RunPython(migrations.RunPython.noop, remake_sqlite_triggers),
        migrations.AlterField(
            model_name="moduleprogress",
            name="certificate_code",
            field=models.CharField(blank=True, max_length=32, null=True),
        ),
        migrations.AddConstraint(
            model_name="moduleprogress",
            constraint=models.UniqueConstraint(
                condition=models.Q(("certificate_code__isnull", False)),
                fields=("certificate_code",),
                name="moduleprogress_certificate_unique",
                violation_error_message="This certificate code is already in use.",
            ),
        ),
        migrations.RunPython(remake_sqlite_triggers, migrations.RunPython.noop),
    ]
