"""What editors meet in the admin: a knowledge check that starts with two answers, a content
notice that cannot be left empty under its support services, and testimony whose consent status
shows in the listing, the chooser and the lesson editor (a withdrawn one cannot be chosen)."""

import datetime
import html
import json
import re

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from wagtail.test.utils.form_data import nested_form_data, rich_text, streamfield

from courses.blocks import LessonStreamBlock
from courses.models import LessonPage, ModulePage, SupportService
from tests.factories import UserFactory, consented_testimony

TODAY = timezone.localdate()
DAY = datetime.timedelta(days=1)


@pytest.fixture
def editor(db, client):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    return user


# --- Knowledge check block ----------------------------------------------------------------------


def test_a_new_knowledge_check_starts_with_two_empty_answers():
    # The state the admin gives a knowledge check block an editor has just added: two empty
    # answers, so the "minimum number of items is 2" error has nothing to complain about.
    block = LessonStreamBlock().child_blocks["knowledge_check"]
    state = block.get_form_state(block.get_default())
    options = [option["value"] for option in state["options"]]
    assert len(options) == 2
    assert all(not option["text"] and not option["is_correct"] for option in options)
    assert block.child_blocks["options"].meta.min_num == 2


def test_the_lesson_editor_offers_the_two_answer_default(client, editor, module_tree):
    url = reverse("wagtailadmin_pages:edit", args=[module_tree.lessons[0].pk])
    response = client.get(url)
    assert response.status_code == 200
    # The StreamField's definition carries each block type's starting value.
    definition = html.unescape(response.text)
    found = re.search(r'"knowledge_check": \{[^{}]*"options": \[(.*?)\]', definition)
    assert found, "the knowledge check's starting value is in the editor"
    assert found[1].count('"value": {"text": null, "is_correct": false') == 2


# --- Content notice -----------------------------------------------------------------------------


def module_form(module: ModulePage, *, notice: str, services: list[SupportService]) -> dict:
    return {
        **module_fields(module, notice),
        "notice_support_services": [service.pk for service in services],
    }


def module_fields(module: ModulePage, notice: str) -> dict:
    return nested_form_data(
        {
            "title": module.title,
            "slug": module.slug,
            "theme": module.theme,
            "summary": module.summary,
            "learning_outcomes": rich_text(""),
            "content_notice": rich_text(notice),
            "pass_mark": module.pass_mark,
        }
    )


@pytest.fixture
def helpline(db):
    return SupportService.objects.create(name="Test helpline", description="Helps.")


def test_support_services_need_a_content_notice(client, editor, module_tree, helpline):
    module = module_tree.module
    url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    response = client.post(url, module_form(module, notice="", services=[helpline]))
    assert response.status_code == 200
    assert "Write the content notice" in response.text
    assert not ModulePage.objects.get(pk=module.pk).has_unpublished_changes


def test_a_notice_with_its_services_saves(client, editor, module_tree, helpline):
    module = module_tree.module
    url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    form = module_form(module, notice="<p>This module covers coercion.</p>", services=[helpline])
    response = client.post(url, form)
    assert response.status_code == 302
    draft = ModulePage.objects.get(pk=module.pk).get_latest_revision_as_object()
    assert "coercion" in draft.content_notice
    assert list(draft.notice_support_services.all()) == [helpline]


def test_a_module_without_notice_or_services_saves(client, editor, module_tree):
    module = module_tree.module
    url = reverse("wagtailadmin_pages:edit", args=[module.pk])
    assert client.post(url, module_form(module, notice="", services=[])).status_code == 302


# --- Testimony listing --------------------------------------------------------------------------


def test_listing_shows_review_dates_as_dates_and_composites_as_yes_or_no(client, editor):
    later = TODAY + 600 * DAY
    consented_testimony("Sam, composite", is_fictional_composite=True, consent_review_by=later)
    consented_testimony("Jo, survivor", consent_review_by=TODAY - 3 * DAY)
    response = client.get(reverse("wagtailsnippets_courses_testimony:list"))
    assert response.status_code == 200
    page = response.text
    assert date_format(later, "j F Y") in page
    assert date_format(TODAY - 3 * DAY, "j F Y") in page
    assert "Just now" not in page and " ago" not in page
    assert "Fictional composite" in page and "Is fictional composite" not in page
    cells = re.findall(r"<td[^>]*>\s*(Yes|No)\s*</td>", page)
    assert sorted(cells) == ["No", "Yes"]
    assert "True" not in page and "False" not in page
    assert "Consent lapsed or not recorded: hidden from learners" in page  # Jo's review passed


def test_consent_report_shows_review_dates_as_dates(client, editor):
    soon = TODAY + 10 * DAY
    consented_testimony("Due soon", consent_review_by=soon)
    page = client.get(reverse("courses_consent_review")).text
    assert date_format(soon, "j F Y") in page
    assert "Just now" not in page


# --- Testimony chooser --------------------------------------------------------------------------


@pytest.fixture
def testimonies(db):
    return {
        "shown": consented_testimony("Ari, survivor"),
        "lapsed": consented_testimony("Bea, survivor", consent_review_by=TODAY - DAY),
        "withdrawn": consented_testimony("Cal, survivor", consent_withdrawn_on=TODAY - DAY),
        "withdrawing": consented_testimony("Dee, survivor", consent_withdrawn_on=TODAY + 5 * DAY),
    }


def test_the_chooser_shows_consent_and_leaves_out_withdrawn_testimony(client, editor, testimonies):
    response = client.get(reverse("wagtailsnippetchoosers_courses_testimony:choose"))
    assert response.status_code == 200
    page = json.loads(response.content)["html"]
    assert "Ari, survivor" in page and "Shown to learners" in page
    assert "Bea, survivor" in page
    assert "Consent lapsed or not recorded: hidden from learners" in page
    assert "Dee, survivor" in page  # withdrawal takes effect later
    assert "Cal, survivor" not in page
    results = client.get(
        reverse("wagtailsnippetchoosers_courses_testimony:choose_results"), {"q": "survivor"}
    )
    assert "Cal, survivor" not in results.text and "Ari, survivor" in results.text


def test_choosing_names_a_hidden_testimony_with_its_status(client, editor, testimonies):
    def chosen(item):
        url = reverse("wagtailsnippetchoosers_courses_testimony:chosen", args=[item.pk])
        return client.get(url)

    assert json.loads(chosen(testimonies["shown"]).content)["result"]["string"] == "Ari, survivor"
    assert json.loads(chosen(testimonies["lapsed"]).content)["result"]["string"] == (
        "Bea, survivor (Consent lapsed or not recorded: hidden from learners)"
    )
    assert chosen(testimonies["withdrawn"]).status_code == 404


def lesson_form(lesson: LessonPage, body: list) -> dict:
    return nested_form_data(
        {
            "title": lesson.title,
            "slug": lesson.slug,
            "body": streamfield(body),
            "estimated_minutes": lesson.estimated_minutes,
        }
    )


def shows_error(response, message: str) -> bool:
    """Whether the page shows `message`, as HTML or in the StreamField's errors (JSON)."""
    page = html.unescape(response.text)
    return message in page or json.dumps(message)[1:-1] in page


def test_a_lesson_with_a_withdrawn_testimony_is_refused_with_a_clear_message(
    client, editor, module_tree, testimonies
):
    lesson = module_tree.lessons[0]
    url = reverse("wagtailadmin_pages:edit", args=[lesson.pk])
    withdrawn = testimonies["withdrawn"]
    response = client.post(url, lesson_form(lesson, [("testimony", withdrawn.pk)]))
    assert response.status_code == 200
    assert shows_error(response, "Consent to share “Cal, survivor” was withdrawn.")
    assert not LessonPage.objects.get(pk=lesson.pk).has_unpublished_changes

    saved = client.post(url, lesson_form(lesson, [("testimony", testimonies["lapsed"].pk)]))
    assert saved.status_code == 302  # hidden for now, but consent may be renewed


def test_the_lesson_editor_says_when_a_chosen_testimony_is_hidden(
    client, editor, module_tree, testimonies
):
    lesson = LessonPage.objects.get(pk=module_tree.lessons[0].pk)
    lesson.body = [("testimony", testimonies["lapsed"]), ("testimony", testimonies["shown"])]
    lesson.save_revision()
    page = html.unescape(client.get(reverse("wagtailadmin_pages:edit", args=[lesson.pk])).text)
    assert "Bea, survivor (Consent lapsed or not recorded: hidden from learners)" in page
    assert "Ari, survivor (" not in page
