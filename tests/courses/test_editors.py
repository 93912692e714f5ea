"""Editors and Reviewers groups and the moderation workflow exist everywhere (data migration)."""

from io import StringIO

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import GroupPagePermission, Site, WorkflowPage

from courses.blocks import LessonStreamBlock
from courses.models import LessonPage, ModulePage, Testimony
from tests.factories import UserFactory

LEARNER_DATA = [
    "courses.LearnerProfile",
    "courses.Reflection",
    "courses.ProgressEvent",
    "courses.LessonProgress",
    "courses.ModuleProgress",
    "courses.KnowledgeCheckResult",
    "courses.ApiKey",
    "courses.ApiAccessLog",
    "auth.User",
    "auth.Group",
]


@pytest.fixture
def editor(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


@pytest.mark.parametrize("group_name", ["Editors", "Reviewers"])
def test_groups_have_no_permission_on_learner_data(db, group_name):
    group = Group.objects.get(name=group_name)
    learner_types = [
        ContentType.objects.get_for_model(apps.get_model(label)) for label in LEARNER_DATA
    ]
    assert not group.permissions.filter(content_type__in=learner_types).exists()


def test_editor_user_cannot_view_or_change_learner_data(editor):
    for label in LEARNER_DATA:
        model = apps.get_model(label)
        for action in ("view", "change", "delete"):
            codename = f"{model._meta.app_label}.{action}_{model._meta.model_name}"
            assert not editor.has_perm(codename), codename


def test_editor_cannot_reach_user_admin(client, editor):
    client.force_login(editor)
    response = client.get(reverse("wagtailusers_users:index"))
    assert response.status_code == 302
    assert response["Location"] == reverse("wagtailadmin_home")


def test_editors_can_author_but_not_publish(client, editor, module_tree):
    assert editor.has_perm("wagtailadmin.access_admin")
    assert editor.has_perm("courses.change_testimony")
    assert editor.has_perm("courses.add_supportservice")
    perms = module_tree.module.permissions_for_user(editor)
    assert perms.can_edit()
    assert perms.can_add_subpage()
    assert not perms.can_publish()
    client.force_login(editor)
    add_url = reverse(
        "wagtailadmin_pages:add", args=["courses", "lessonpage", module_tree.module.pk]
    )
    assert client.get(add_url).status_code == 200
    assert client.get(reverse("courses_consent_review")).status_code == 200


def test_reviewers_can_publish(db, module_tree):
    reviewer = UserFactory()
    reviewer.groups.add(Group.objects.get(name="Reviewers"))
    assert module_tree.module.permissions_for_user(reviewer).can_publish()


def test_module_moderation_workflow_applies_to_the_site(db, module_tree):
    site_root = Site.objects.get(is_default_site=True).root_page
    assignment = WorkflowPage.objects.get(page=site_root)
    assert assignment.workflow.name == "Module moderation"
    workflow = ModulePage.objects.get(pk=module_tree.module.pk).get_workflow()
    assert workflow == assignment.workflow
    task = workflow.tasks.get().specific
    assert list(task.groups.values_list("name", flat=True)) == ["Reviewers"]


def test_page_permissions_are_on_the_site_root(db):
    site_root = Site.objects.get(is_default_site=True).root_page
    codenames = set(
        GroupPagePermission.objects.filter(group__name="Editors").values_list(
            "permission__codename", flat=True
        )
    )
    assert codenames == {"add_page", "change_page", "lock_page", "unlock_page"}
    assert set(
        GroupPagePermission.objects.filter(group__name="Editors").values_list("page", flat=True)
    ) == {site_root.pk}
    assert not Permission.objects.filter(group__name="Editors", codename="publish_page").exists()


def test_editor_can_open_every_authoring_screen(client, editor, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--learners-per-force", "0", stdout=StringIO())
    client.force_login(editor)
    lesson = LessonPage.objects.first()
    module = ModulePage.objects.first()
    urls = [
        reverse("wagtailadmin_pages:edit", args=[lesson.pk]),  # every block type's form
        reverse("wagtailadmin_pages:edit", args=[module.pk]),
        reverse("wagtailsnippets_courses_testimony:list"),
        reverse("wagtailsnippets_courses_testimony:add"),
        reverse("wagtailsnippets_courses_supportservice:list"),
        reverse("wagtailsnippets_courses_supportservice:add"),
    ]
    for url in urls:
        assert client.get(url).status_code == 200, url


def test_testimony_form_reports_consent_errors(client, editor):
    client.force_login(editor)
    response = client.post(
        reverse("wagtailsnippets_courses_testimony:add"),
        {
            "attribution": "Sam",
            "text": "Words",
            "transcript": "",
            "consent_recorded_on": "2026-05-01",
            "consent_review_by": "2026-04-01",
        },
    )
    assert response.status_code == 200
    assert "The review date must be after consent was recorded." in response.text
    assert not Testimony.objects.exists()


def test_every_block_preview_renders_in_the_admin(client, editor):
    # The block chooser previews each block with its preview value and no page in context.
    client.force_login(editor)
    previewable = [
        (name, block)
        for name, block in LessonStreamBlock().child_blocks.items()
        if block.is_previewable
    ]
    assert {"knowledge_check", "reflection_prompt", "key_point"} <= {n for n, _ in previewable}
    for name, block in previewable:
        url = reverse("wagtailadmin_block_preview") + f"?id={block.definition_prefix}"
        response = client.get(url)
        assert response.status_code == 200, name
        assert "is_correct" not in response.text, name
