"""Editors and Reviewers groups and the "Module moderation" workflow, in every environment.

Editors author pages, testimony, support services, images and documents, and submit pages for
moderation; Reviewers also publish. Neither group gets any permission on learner data. Running
it again resets both groups to exactly these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

EDITOR_PAGE_PERMISSIONS = ["add_page", "change_page", "lock_page", "unlock_page"]
REVIEWER_PAGE_PERMISSIONS = [*EDITOR_PAGE_PERMISSIONS, "publish_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ["add_image", "change_image", "choose_image"],
    "wagtaildocs": ["add_document", "change_document", "choose_document"],
}
MODEL_PERMISSIONS = {
    "wagtailadmin": ["access_admin"],
    "courses": [
        "add_testimony",
        "change_testimony",
        "delete_testimony",
        "view_testimony",
        "add_supportservice",
        "change_supportservice",
        "delete_supportservice",
        "view_supportservice",
        # Choosing a force for a force-specific support service.
        "view_force",
    ],
}


def _permission(Permission, app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def create_groups_and_workflow(apps, schema_editor):
    # Permissions are normally created after migrations; make sure they exist now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    ContentType = apps.get_model("contenttypes", "ContentType")
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    Page = apps.get_model("wagtailcore", "Page")
    Site = apps.get_model("wagtailcore", "Site")
    Workflow = apps.get_model("wagtailcore", "Workflow")
    WorkflowTask = apps.get_model("wagtailcore", "WorkflowTask")
    WorkflowPage = apps.get_model("wagtailcore", "WorkflowPage")
    GroupApprovalTask = apps.get_model("wagtailcore", "GroupApprovalTask")

    site = Site.objects.filter(is_default_site=True).first()
    site_root = Page.objects.get(pk=site.root_page_id) if site else Page.objects.get(depth=1)
    root_collection = Collection.objects.filter(depth=1).first()

    model_permissions = [
        _permission(Permission, app_label, codename)
        for app_label, codenames in MODEL_PERMISSIONS.items()
        for codename in codenames
    ]
    groups = {}
    for name, page_codenames in (
        ("Editors", EDITOR_PAGE_PERMISSIONS),
        ("Reviewers", REVIEWER_PAGE_PERMISSIONS),
    ):
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(model_permissions)
        GroupPagePermission.objects.filter(group=group).delete()
        for codename in page_codenames:
            GroupPagePermission.objects.create(
                group=group,
                page=site_root,
                permission=_permission(Permission, "wagtailcore", codename),
            )
        GroupCollectionPermission.objects.filter(group=group).delete()
        if root_collection:
            for app_label, codenames in COLLECTION_PERMISSIONS.items():
                for codename in codenames:
                    GroupCollectionPermission.objects.create(
                        group=group,
                        collection=root_collection,
                        permission=_permission(Permission, app_label, codename),
                    )
        groups[name] = group

    task_type, _ = ContentType.objects.get_or_create(
        app_label="wagtailcore", model="groupapprovaltask"
    )
    task = GroupApprovalTask.objects.filter(name="Reviewer approval").first()
    if task is None:
        task = GroupApprovalTask.objects.create(
            name="Reviewer approval", content_type=task_type, active=True
        )
    task.groups.set([groups["Reviewers"]])
    workflow, _ = Workflow.objects.get_or_create(
        name="Module moderation", defaults={"active": True}
    )
    WorkflowTask.objects.get_or_create(workflow=workflow, task=task, defaults={"sort_order": 0})
    WorkflowPage.objects.update_or_create(page=site_root, defaults={"workflow": workflow})


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_authoring_blocks"),
        ("home", "0002_create_homepage"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("wagtailadmin", "0006_formstate"),
        ("wagtailcore", "0098_apitoken"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(create_groups_and_workflow, migrations.RunPython.noop)]
