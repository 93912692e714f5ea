"""Translated pages go through the same moderation as the English: the Welsh tree is covered
by the English tree's workflow and the groups' page permissions; an editor translates a lesson
on wagtail-localize's screens, submits it for moderation, and a reviewer approves it, which
publishes it; after the English changes, a sync brings the new text in English until it is
translated. All through the real admin views."""

import polib
import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import MULTIPART_CONTENT
from django.urls import reverse
from django.utils import translation
from wagtail.models import GroupPagePermission, Locale, Site, WorkflowPage
from wagtail.rich_text import RichText
from wagtail_localize.models import StringSegment, StringTranslation, TranslationSource

from courses.models import LessonPage
from tests.factories import UserFactory, learner


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    translation.deactivate()


def member(group: str):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    return user


def welsh():
    return Locale.objects.get(language_code="cy")


@pytest.fixture
def lesson(module_tree):
    """An English lesson with one paragraph, and the Welsh tree of aliases that
    wagtail-localize keeps (LocaleSynchronization) until pages are translated."""
    page = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
    page.body = [("paragraph", "<p>Listen first.</p>")]
    page.save_revision().publish()
    page.copy_for_translation(welsh(), copy_parents=True, alias=True)
    return page


def test_the_welsh_home_has_the_english_homes_workflow_and_permissions(lesson):
    english_home = Site.objects.get(is_default_site=True).root_page
    welsh_home = english_home.get_translation(welsh())
    assert WorkflowPage.objects.get(page=welsh_home).workflow.name == "Module moderation"
    welsh_lesson = lesson.get_translation(welsh())
    assert welsh_lesson.get_workflow().name == "Module moderation"
    for group in ("Editors", "Reviewers"):
        english = set(
            GroupPagePermission.objects.filter(group__name=group, page=english_home).values_list(
                "permission__codename", flat=True
            )
        )
        assert english
        assert (
            set(
                GroupPagePermission.objects.filter(group__name=group, page=welsh_home).values_list(
                    "permission__codename", flat=True
                )
            )
            == english
        )


def segment(source, text):
    return StringSegment.objects.get(source=source, string__data=text)


def translate_strings(client, translation_obj, welsh_strings: dict[str, str]):
    """On the translation screen: download the PO file, translate, upload it back."""
    download = client.get(reverse("wagtail_localize:download_pofile", args=[translation_obj.pk]))
    assert download.status_code == 200
    po = polib.pofile(download.content.decode())
    for entry in po:
        if entry.msgid in welsh_strings:
            entry.msgstr = welsh_strings[entry.msgid]
    upload = SimpleUploadedFile("lesson.po", str(po).encode(), content_type="text/x-gettext")
    response = client.post(
        reverse("wagtail_localize:upload_pofile", args=[translation_obj.pk]),
        {"file": upload, "next": "/admin/"},
    )
    assert response.status_code == 302


def translated_by(client, reviewer, lesson):
    """The reviewer translates the lesson on wagtail-localize's screens (not yet published):
    its TranslationSource and the Welsh page."""
    client.force_login(reviewer)
    submit = reverse("wagtail_localize:submit_page_translation", args=[lesson.pk])
    client.post(submit, {"locales": [welsh().pk]})
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    translation_obj = source.translations.get(target_locale=welsh())
    translate_strings(client, translation_obj, {"Listen first.": "Gwrandewch yn gyntaf."})
    return source, lesson.get_translation(welsh())


def test_an_editor_translates_submits_and_a_reviewer_approves_and_publishes(client, lesson):
    editor, reviewer = member("Editors"), member("Reviewers")
    client.force_login(editor)

    # Translate: wagtail-localize's "Translate this page" screen.
    submit = reverse("wagtail_localize:submit_page_translation", args=[lesson.pk])
    assert client.get(submit).status_code == 200
    assert client.post(submit, {"locales": [welsh().pk]}).status_code == 302
    welsh_lesson = lesson.get_translation(welsh())
    assert welsh_lesson.alias_of_id is None  # a translation now, no longer an alias
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    translation_obj = source.translations.get(target_locale=welsh())

    # The translation editor opens (the page's edit URL); the editor translates.
    edit = reverse("wagtailadmin_pages:edit", args=[welsh_lesson.pk])
    assert client.get(edit).status_code == 200
    translate_strings(
        client, translation_obj, {lesson.title: "Gwers 1", "Listen first.": "Gwrandewch yn gyntaf."}
    )
    # Editors cannot publish from the translation editor (refused: back to the dashboard)...
    refused = client.post(edit, {"action": "publish"})
    assert refused.status_code == 302 and refused["Location"] == reverse("wagtailadmin_home")
    assert "Gwrandewch" not in str(LessonPage.objects.get(pk=welsh_lesson.pk).body)
    # ...so they submit it for moderation.
    to_moderation = reverse("courses_translation_submit", args=[welsh_lesson.pk])
    assert client.get(to_moderation).status_code == 200
    assert client.post(to_moderation).status_code == 302
    welsh_lesson = LessonPage.objects.get(pk=welsh_lesson.pk)
    assert welsh_lesson.workflow_in_progress
    assert "Gwrandewch" not in str(welsh_lesson.body)  # not published yet

    # The reviewer approves in Wagtail's moderation; the last task publishes.
    client.force_login(reviewer)
    task_state = welsh_lesson.current_workflow_task_state
    approve = reverse(
        "wagtailadmin_pages:workflow_action", args=[welsh_lesson.pk, "approve", task_state.pk]
    )
    assert client.post(approve, {"comment": ""}).status_code == 302
    welsh_lesson = LessonPage.objects.get(pk=welsh_lesson.pk)
    assert not welsh_lesson.workflow_in_progress
    assert welsh_lesson.live and welsh_lesson.title == "Gwers 1"
    assert "Gwrandewch yn gyntaf." in str(welsh_lesson.body)

    client.force_login(learner("south-wales"))
    with translation.override("cy"):
        url = welsh_lesson.get_url()
    assert "Gwrandewch yn gyntaf." in client.get(url).text


def test_after_the_english_changes_a_sync_brings_the_new_text_in_english(client, lesson):
    editor, reviewer = member("Editors"), member("Reviewers")
    source, welsh_lesson = translated_by(client, reviewer, lesson)
    edit = reverse("wagtailadmin_pages:edit", args=[welsh_lesson.pk])
    assert client.post(edit, {"action": "publish"}).status_code == 302

    # The English gains a paragraph.
    english = LessonPage.objects.get(pk=lesson.pk)
    english.body.append(("paragraph", RichText("<p>Then ask.</p>")))
    english.save_revision(user=reviewer).publish()

    # The editor syncs from the English page ("Sync translated pages"): the new string is
    # waiting for translation on the translation screen.
    client.force_login(editor)
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    assert client.get(sync).status_code == 200
    assert client.post(sync, {}).status_code == 302
    new = segment(source, "Then ask.")
    assert not StringTranslation.objects.filter(translation_of=new.string, locale=welsh()).exists()
    assert "Then ask." in client.get(edit).text

    # Published by the reviewer, the Welsh page shows it in English until it is translated.
    client.force_login(reviewer)
    assert client.post(edit, {"action": "publish"}).status_code == 302
    body = str(LessonPage.objects.get(pk=welsh_lesson.pk).body)
    assert "Gwrandewch yn gyntaf." in body and "Then ask." in body


def test_an_editor_types_a_translation_in_the_translation_screen(client, lesson):
    """The screen saves each string as the editor types it, through wagtail-localize's own
    API (a form-data PUT with the session): the project's JSON-only parser is its own API's,
    not every DRF view's."""
    client.force_login(member("Editors"))
    submit = reverse("wagtail_localize:submit_page_translation", args=[lesson.pk])
    assert client.post(submit, {"locales": [welsh().pk]}).status_code == 302
    source = TranslationSource.objects.get(object_id=lesson.translation_key)
    translation_obj = source.translations.get(target_locale=welsh())
    string = segment(source, "Listen first.")
    url = reverse("wagtail_localize:edit_string_translation", args=[translation_obj.pk, string.pk])
    body = client._encode_data({"value": "Gwrandewch yn gyntaf."}, MULTIPART_CONTENT)
    response = client.put(url, body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 201, response.content
    saved = StringTranslation.objects.get(translation_of=string.string, locale=welsh())
    assert saved.data == "Gwrandewch yn gyntaf."


def test_syncing_publishes_only_for_those_who_may_publish(
    client, lesson, django_capture_on_commit_callbacks
):
    """ "Publish immediately" on wagtail-localize's sync screen is disabled for an editor (it
    would skip moderation): posted anyway, nothing is published. A reviewer may."""
    editor, reviewer = member("Editors"), member("Reviewers")
    source, welsh_lesson = translated_by(client, reviewer, lesson)
    live_before = LessonPage.objects.get(pk=welsh_lesson.pk).live_revision_id

    client.force_login(editor)
    sync = reverse("wagtail_localize:update_translations", args=[source.pk])
    page = client.get(sync)
    assert page.status_code == 200
    assert "You cannot publish these translations" in page.text
    # (wagtail-localize publishes when the transaction commits.)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync, {"publish_translations": "on"}).status_code == 302
    assert LessonPage.objects.get(pk=welsh_lesson.pk).live_revision_id == live_before

    client.force_login(reviewer)
    assert "You cannot publish these translations" not in client.get(sync).text
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(sync, {"publish_translations": "on"}).status_code == 302
    published = LessonPage.objects.get(pk=welsh_lesson.pk)
    assert published.live_revision_id != live_before
    assert "Gwrandewch yn gyntaf." in str(published.body)
