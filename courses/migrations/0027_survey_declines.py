"""Learners' skipped survey stages (never asked again), when a follow-up invitation was sent,
and attitude surveys for Editors and Reviewers: they add, change, publish and delete them
(deleting is refused once a survey has responses: courses.survey_admin). Training leads and
programme evaluators get nothing here."""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["Editors", "Reviewers"]
CODENAMES = [
    "add_attitudesurvey",
    "change_attitudesurvey",
    "delete_attitudesurvey",
    "view_attitudesurvey",
    "publish_attitudesurvey",
]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    # Wagtail adds "publish" for snippets with drafts after migrating; it is needed now.
    content_type, _ = ContentType.objects.get_or_create(app_label="courses", model="attitudesurvey")
    Permission.objects.get_or_create(
        content_type=content_type,
        codename="publish_attitudesurvey",
        defaults={"name": "Can publish attitude survey"},
    )
    return Permission.objects.filter(content_type__app_label="courses", codename__in=CODENAMES)


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    permissions = list(_permissions(apps))
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0026_evidence_audit_actions"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="surveyresponse",
            name="follow_up_invited_at",
            field=models.DateTimeField(
                blank=True,
                help_text="On a post response: when the learner was emailed the follow-up invitation.",
                null=True,
            ),
        ),
        migrations.CreateModel(
            name="SurveyDecline",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "stage",
                    models.CharField(
                        choices=[
                            ("pre", "Before the first lesson"),
                            ("post", "After completing the pathway"),
                            ("follow-up", "Follow-up"),
                        ],
                        max_length=10,
                    ),
                ),
                ("declined_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "learner",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="survey_declines",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "survey",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="declines",
                        to="courses.attitudesurvey",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("survey", "learner", "stage"), name="surveydecline_once_per_stage"
                    )
                ],
            },
        ),
        migrations.RunPython(grant, revoke),
    ]
