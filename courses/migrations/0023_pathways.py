"""Editors and Reviewers manage pathways by role (which modules each role must take, by when);
force training leads get nothing here: pathways are national, not a force's. And an index of
the required module rows, for the required and overdue counts per module of a force; and a
plain message when a role already has a pathway."""

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
    dependencies = [("courses", "0022_moduleprogress_force_updated_idx")]

    operations = [
        migrations.AlterField(
            model_name="pathway",
            name="role",
            field=models.CharField(
                choices=[
                    ("response-officer", "Response officer"),
                    ("pcso", "PCSO"),
                    ("call-handler", "Call handler"),
                    ("staff", "Police staff"),
                    ("supervisor", "Supervisor"),
                    ("leader", "Senior leader"),
                ],
                error_messages={
                    "unique": "There is already a pathway for this role. Edit that one instead."
                },
                help_text="Everyone with this role must take the modules below.",
                max_length=30,
                unique=True,
            ),
        ),
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
