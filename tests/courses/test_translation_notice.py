"""The notice above a page that is not in the learner's language: a Welsh alias of an English
page (not translated yet) is shown in English with a notice in Welsh and its content marked
lang="en-GB"; a Welsh translation older than the English it was made from says so; a
translated, up-to-date page and every English page have no notice."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation
from wagtail.models import Locale

from courses import selectors
from courses.demo.welsh_snippets import translate_snippet
from courses.models import LessonPage
from tests.factories import learner


@pytest.fixture(autouse=True)
def english_afterwards():
    """A request under /cy/ leaves Welsh active in the test's thread: reset it."""
    yield
    translation.deactivate()


def welsh():
    return Locale.objects.get(language_code="cy")


@pytest.fixture
def learner_client(client, db):
    client.force_login(learner("south-wales"))
    return client


def welsh_alias(page):
    """The Welsh alias wagtail-localize keeps of an English page (with its parents')."""
    return page.copy_for_translation(welsh(), copy_parents=True, alias=True)


def get_in_welsh(client, page):
    with translation.override("cy"):
        url = page.get_url()
    assert url.startswith("/cy/"), url
    return client.get(url)


def test_an_english_page_has_no_notice(client, module_tree):
    client.force_login(learner("met"))  # in England: English first
    response = client.get(module_tree.lessons[0].get_url())
    assert response.status_code == 200
    assert response.context["translation_notice"] is None
    assert response.context["page_content_lang"] == ""


def test_a_welsh_alias_is_english_with_a_notice_in_welsh(learner_client, module_tree):
    lesson = module_tree.lessons[0]
    alias = welsh_alias(lesson)
    response = get_in_welsh(learner_client, alias)
    assert response.status_code == 200
    notice = response.context["translation_notice"]
    assert notice.kind == selectors.NOT_TRANSLATED
    assert notice.english_url == lesson.get_url()
    assert notice.english_url.startswith("/en-gb/")
    assert response.context["page_content_lang"] == "en-GB"
    with translation.override("cy"):
        html = render_to_string("includes/translation_notice.html", {"translation_notice": notice})
    assert "Nid yw'r dudalen hon ar gael yn Gymraeg eto" in html
    assert 'lang="cy"' in html
    assert f'href="{lesson.get_url()}" hreflang="en-GB"' in html


def test_a_translated_page_has_no_notice_until_the_english_changes(
    learner_client, module_tree, django_capture_on_commit_callbacks
):
    lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
    lesson.body = [("paragraph", "<p>Listen first.</p>")]
    lesson.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        welsh_lesson = translate_snippet(
            lesson, {lesson.title: "Gwers 1", "Listen first.": "Gwrandewch yn gyntaf."}
        )
    welsh_lesson = LessonPage.objects.get(pk=welsh_lesson.pk)
    assert welsh_lesson.alias_of_id is None and welsh_lesson.live
    response = get_in_welsh(learner_client, welsh_lesson)
    assert response.status_code == 200
    assert "Gwrandewch yn gyntaf." in response.text
    assert response.context["translation_notice"] is None
    assert response.context["page_content_lang"] == ""

    # The English is changed and published: the Welsh is now out of date.
    lesson.body = [("paragraph", "<p>Listen first, then ask.</p>")]
    lesson.save_revision().publish()
    response = get_in_welsh(learner_client, welsh_lesson)
    notice = response.context["translation_notice"]
    assert notice.kind == selectors.OUT_OF_DATE
    assert response.context["page_content_lang"] == ""  # the page is (mostly) Welsh
    with translation.override("cy"):
        html = render_to_string("includes/translation_notice.html", {"translation_notice": notice})
    assert "Mae'r fersiwn Saesneg wedi newid ers cyfieithu'r dudalen hon" in html


def test_no_notice_outside_pages_or_in_english(client, module_tree):
    from courses.context_processors import translation_notice

    class Request:
        pass

    assert translation_notice(Request()) == {"translation_notice": None, "page_content_lang": ""}
    alias = welsh_alias(module_tree.lessons[0])
    assert selectors.page_translation_notice(alias) is None  # English is active
