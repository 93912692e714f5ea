# Progress is recorded through the ORM (courses.progress.engine) on every database: the
# PL/pgSQL functions of migrations 0008 and 0009 are no longer called. A no-op elsewhere.

from django.db import migrations

DROP = [
    "DROP FUNCTION IF EXISTS courses_progress_record(uuid, integer, bigint, integer, integer, "
    "varchar, jsonb, varchar, timestamptz, timestamptz, smallint, timestamptz, varchar, "
    "smallint, integer[], integer[], varchar[], integer, integer, varchar, varchar, boolean);",
    "DROP FUNCTION IF EXISTS courses_rounded_mean(integer, integer);",
]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in DROP:
            schema_editor.execute(statement, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0011_usersession"),
    ]

    # Unapplying leaves the functions dropped: nothing calls them.
    operations = [migrations.RunPython(drop, migrations.RunPython.noop)]
