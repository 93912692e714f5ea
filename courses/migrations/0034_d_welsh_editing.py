"""Editors and Reviewers may translate (wagtail-localize's "submit translation": the Translate
and Sync buttons on pages and snippets), and a page's translations already made (the Welsh
home) get the workflow and page permissions of the page they translate, as
courses.services.translated_page_cover gives new ones."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ("Editors", "Reviewers")


def allow_translating(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Page = apps.get_model("wagtailcore", "Page")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")

    submit = Permission.objects.get(
        content_type__app_label="wagtail_localize", codename="submit_translation"
    )
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.add(submit)

    for assignment in WorkflowPage.objects.select_related("page"):
        for other in Page.objects.filter(translation_key=assignment.page.translation_key).exclude(
            pk=assignment.page_id
        ):
            WorkflowPage.objects.get_or_create(
                page=other, defaults={"workflow_id": assignment.workflow_id}
            )
    for grant in GroupPagePermission.objects.select_related("page"):
        for other in Page.objects.filter(translation_key=grant.page.translation_key).exclude(
            pk=grant.page_id
        ):
            GroupPagePermission.objects.get_or_create(
                page=other, group_id=grant.group_id, permission_id=grant.permission_id
            )


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0033_d_translatable_snippets_required"),
        ("wagtail_localize", "0016_rename_page_revision_translationlog_revision"),
    ]

    operations = [migrations.RunPython(allow_translating, migrations.RunPython.noop)]
