# The per-(force, module) totals in ForceModuleSummary are kept in Python, in the transaction
# of each ModuleProgress write (courses.progress.totals): the triggers of migration 0005, and
# PostgreSQL's trigger function, go. Unapplying recreates them as 0005 made them (the totals
# are exact at that moment, so no backfill is needed).

from importlib import import_module

from django.db import migrations

TRIGGERS = (
    "moduleprogress_summary_insert",
    "moduleprogress_summary_delete",
    "moduleprogress_summary_update",
)


def drop_triggers(apps, schema_editor):
    postgresql = schema_editor.connection.vendor == "postgresql"
    for name in TRIGGERS:
        on_table = " ON courses_moduleprogress" if postgresql else ""
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}{on_table};", params=None)
    if postgresql:
        schema_editor.execute(
            "DROP FUNCTION IF EXISTS courses_moduleprogress_summary();", params=None
        )


def recreate_triggers(apps, schema_editor):
    initial = import_module("courses.migrations.0005_force_module_summary")
    postgresql = schema_editor.connection.vendor == "postgresql"
    for statement in initial.POSTGRESQL if postgresql else initial.SQLITE:
        schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0014_delete_usersession"),
    ]

    operations = [migrations.RunPython(drop_triggers, recreate_triggers)]
