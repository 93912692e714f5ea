"""Sessions with the signed-in user's id as a column (courses.models.UserSession), for the
session engine that reads a session and its user in one statement (courses.sessions).

Sessions signed in under Django's database backend, or its `cached_db` backend (which writes
every session through to the same table), carry on: each live row is copied, with the user's id
read from its data, so nobody is signed out by the change of engine. Django's table is left as
it was; `clearsessions` no longer looks at it.
"""

import django.db.models.deletion
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.exceptions import ValidationError
from django.db import migrations, models
from django.utils import timezone

BATCH = 2000


def copy_live_sessions(apps, schema_editor):
    # The backend that wrote these rows decodes them (its salt is its class's name).
    from django.contrib.sessions.backends.db import SessionStore

    session_model = apps.get_model("sessions", "Session")
    user_session_model = apps.get_model("courses", "UserSession")
    user_pk = apps.get_model(settings.AUTH_USER_MODEL)._meta.pk
    alias = schema_editor.connection.alias
    decoder = SessionStore()
    live = session_model.objects.using(alias).filter(expire_date__gt=timezone.now())
    batch = []
    for row in live.order_by("pk").iterator(chunk_size=BATCH):
        try:
            user_id = user_pk.to_python(decoder.decode(row.session_data).get(SESSION_KEY))
        except ValidationError:
            user_id = None
        batch.append(
            user_session_model(
                session_key=row.session_key,
                session_data=row.session_data,
                expire_date=row.expire_date,
                user_id=user_id,
            )
        )
        if len(batch) == BATCH:
            user_session_model.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    user_session_model.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0010_drop_redundant_indexes"),
        ("sessions", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="UserSession",
            fields=[
                (
                    "session_key",
                    models.CharField(
                        max_length=40,
                        primary_key=True,
                        serialize=False,
                        verbose_name="session key",
                    ),
                ),
                ("session_data", models.TextField(verbose_name="session data")),
                ("expire_date", models.DateTimeField(db_index=True, verbose_name="expire date")),
                (
                    "user",
                    models.ForeignKey(
                        blank=True,
                        db_constraint=False,
                        null=True,
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="sessions",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={"verbose_name": "session"},
        ),
        migrations.RunPython(copy_live_sessions, migrations.RunPython.noop, elidable=True),
    ]
