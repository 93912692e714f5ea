"""Editors and Reviewers manage pathways by role (which modules each role must take, by when);
force training leads get nothing here: pathways are national, not a force's. And an index of
the required module rows, for the required and overdue counts per module of a force."""

from django.contrib.auth.management import create_permissions
from django.db import migrations, models

GROUPS = ["Editors", "Reviewers"]
CODENAMES = ["add_pathway", "change_pathway", "delete_pathway", "view_pathway"]


def _permissions(apps):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Permission = apps.get_model("auth", "Permission")
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
    dependencies = [("courses", "0020_training_leads_pathways_enrolment")]

    operations = [
        migrations.AddIndex(
            model_name="moduleprogress",
            index=models.Index(
                condition=models.Q(("required", True)),
                fields=["force", "module", "due_at", "status"],
                name="moduleprogress_required_idx",
            ),
        ),
        migrations.RunPython(grant, revoke),
    ]
