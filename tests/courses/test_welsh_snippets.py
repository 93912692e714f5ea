"""Support services, testimonies and attitude surveys in Welsh (wagtail-localize): editors
translate them from the snippet listing; learners see the Welsh translation when there is
one, else the English; survey answers given in Welsh are recorded against the English
survey and statements (one record); withdrawing consent to a testimony withdraws every
translation of it."""

import html

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone, translation
from wagtail.models import Locale

from courses.blocks import media
from courses.demo.welsh_snippets import translate_snippet
from courses.models import (
    AttitudeSurvey,
    SupportService,
    SurveyAnswer,
    SurveyResponse,
    Testimony,
    localized_all,
)
from tests.courses.survey_helpers import STATEMENTS, make_survey
from tests.factories import UserFactory, consented_testimony, learner

WELSH_STATEMENTS = {
    STATEMENTS[0]: "Gall ymddygiad rheolaethol fod yn gam-drin hyd yn oed pan nad oes trais.",
    STATEMENTS[1]: "Rwy'n gwybod beth i'w ofyn pan fyddaf yn mynd i alwad cam-drin domestig.",
    STATEMENTS[2]: "Mae'n bwysig sut mae cydweithwyr yn siarad am ddioddefwyr pan nad oes "
    "dioddefwr yn bresennol.",
}
WELSH_SURVEY = {
    "Thinking about domestic abuse": "Meddwl am gam-drin domestig",
    "Anything else you want to say?": "Unrhyw beth arall yr hoffech ei ddweud?",
    **WELSH_STATEMENTS,
}


@pytest.fixture(autouse=True)
def english_afterwards():
    """A request under /cy/ leaves Welsh active in the test's thread (LocaleMiddleware
    activates it per request and nothing resets it): start the next test in English."""
    yield
    translation.deactivate()


def welsh():
    return Locale.objects.get(language_code="cy")


@pytest.fixture
def editor(db):
    user = UserFactory()
    user.groups.add(Group.objects.get(name="Editors"))
    return user


# --- translatable snippets ----------------------------------------------------------------------


@pytest.mark.django_db
def test_new_snippets_are_in_the_default_locale_with_a_translation_key():
    service = SupportService.objects.create(name="Helpline", description="For anyone")
    item = consented_testimony()
    assert service.locale.language_code == item.locale.language_code == "en-gb"
    assert service.translation_key and item.translation_key


def test_editors_get_translate_in_the_snippet_listings(client, editor):
    service = SupportService.objects.create(name="Helpline", description="For anyone")
    item = consented_testimony()
    client.force_login(editor)
    for model, obj in (("supportservice", service), ("testimony", item)):
        listing = client.get(reverse(f"wagtailsnippets_courses_{model}:list")).text
        translate = reverse(
            "wagtail_localize:submit_snippet_translation", args=["courses", model, obj.pk]
        )
        assert translate in listing, model
        # and the screen opens, offering Welsh
        screen = client.get(translate)
        assert screen.status_code == 200 and "Cymraeg" in screen.text


def test_an_editor_translates_a_service_through_the_admin_and_syncs_it(client, editor):
    service = SupportService.objects.create(name="Helpline", description="For anyone")
    client.force_login(editor)
    translate = reverse(
        "wagtail_localize:submit_snippet_translation",
        args=["courses", "supportservice", service.pk],
    )
    response = client.post(translate, {"locales": [welsh().pk]})
    assert response.status_code == 302
    welsh_service = service.get_translation(welsh())
    assert welsh_service.name == "Helpline"  # English until the strings are translated
    listing = client.get(reverse("wagtailsnippets_courses_supportservice:list")).text
    assert "Sync translated snippets" in listing


@pytest.mark.django_db
def test_a_survey_and_its_statements_translate_together(
    module_tree, django_capture_on_commit_callbacks
):
    survey = make_survey(module_tree.programme)
    with django_capture_on_commit_callbacks(execute=True):
        welsh_survey = translate_snippet(survey, WELSH_SURVEY)
    welsh_survey.refresh_from_db()
    assert welsh_survey.live and welsh_survey.title == "Meddwl am gam-drin domestig"
    assert welsh_survey.programme_id == survey.programme_id  # the same programme
    statements = list(welsh_survey.statements.order_by("sort_order"))
    assert [s.text for s in statements] == [WELSH_STATEMENTS[text] for text in STATEMENTS]
    assert {s.locale_id for s in statements} == {welsh().pk}
    sources = list(survey.statements.order_by("sort_order"))
    assert [s.translation_key for s in statements] == [s.translation_key for s in sources]
    # Only the English survey is offered and counted.
    assert list(AttitudeSurvey.objects.originals()) == [survey]


# --- one record for surveys -------------------------------------------------------------------


def test_a_welsh_learner_answers_in_welsh_and_the_answers_count_on_the_english_survey(
    client, module_tree, django_capture_on_commit_callbacks
):
    survey = make_survey(module_tree.programme)
    with django_capture_on_commit_callbacks(execute=True):
        welsh_survey = translate_snippet(survey, WELSH_SURVEY)
    officer = learner("south-wales")
    client.force_login(officer)
    with translation.override("cy"):
        url = reverse("courses:survey_form", args=[survey.pk, "pre"])
    assert url.startswith("/cy/")
    page = client.get(url)
    assert page.status_code == 200
    for text in STATEMENTS:
        assert html.escape(WELSH_STATEMENTS[text]) in page.text
        assert text not in page.text
    assert "Unrhyw beth arall yr hoffech ei ddweud?" in page.text

    sources = list(survey.statements.order_by("sort_order"))
    data = {f"s{s.pk}": "4" for s in sources}
    assert client.post(url, data).status_code == 302
    response = SurveyResponse.objects.get(learner=officer)
    assert response.survey_id == survey.pk
    assert set(SurveyAnswer.objects.values_list("statement_id", flat=True)) == {
        s.pk for s in sources
    }
    assert not SurveyResponse.objects.filter(survey=welsh_survey).exists()
    # The Welsh survey's own id is not a survey learners can answer.
    with translation.override("cy"):
        other = reverse("courses:survey_form", args=[welsh_survey.pk, "pre"])
    assert client.get(other).status_code == 404


def test_an_untranslated_statement_is_shown_in_english(
    client, module_tree, django_capture_on_commit_callbacks
):
    survey = make_survey(module_tree.programme)
    partial = {k: v for k, v in WELSH_SURVEY.items() if k != STATEMENTS[2]}
    with django_capture_on_commit_callbacks(execute=True):
        translate_snippet(survey, partial)
    client.force_login(learner("south-wales"))
    with translation.override("cy"):
        url = reverse("courses:survey_form", args=[survey.pk, "pre"])
    page = client.get(url).text
    assert WELSH_STATEMENTS[STATEMENTS[0]] in page
    assert STATEMENTS[2] in page


def test_in_english_the_survey_reads_in_english(
    client, module_tree, django_capture_on_commit_callbacks
):
    survey = make_survey(module_tree.programme)
    with django_capture_on_commit_callbacks(execute=True):
        translate_snippet(survey, WELSH_SURVEY)
    client.force_login(learner("met"))
    page = client.get(reverse("courses:survey_form", args=[survey.pk, "pre"])).text
    assert STATEMENTS[0] in page and WELSH_STATEMENTS[STATEMENTS[0]] not in page


# --- support services and testimony -----------------------------------------------------------


def test_the_support_page_lists_each_service_once_in_the_learners_language(client, db):
    service = SupportService.objects.create(
        name="National Domestic Abuse Helpline", description="For anyone affected."
    )
    SupportService.objects.create(name="Respect", description="For people worried.")
    translate_snippet(
        service,
        {
            "National Domestic Abuse Helpline": "Llinell Gymorth Genedlaethol Cam-drin Domestig",
            "For anyone affected.": "I unrhyw un y mae cam-drin domestig yn effeithio arno.",
        },
    )
    with translation.override("cy"):
        url = reverse("courses:support")
    page = client.get(url).text
    assert page.count("Llinell Gymorth Genedlaethol Cam-drin Domestig") == 1
    assert "National Domestic Abuse Helpline" not in page
    assert "Respect" in page  # not translated: the English
    with translation.override("en-gb"):
        english = client.get(reverse("courses:support")).text
    assert "National Domestic Abuse Helpline" in english
    assert "Llinell Gymorth" not in english


WELSH_TESTIMONY = {
    "What Robin, survivor wants officers to hear.": "Beth mae Robin am i swyddogion ei glywed."
}


def render_testimony(item: Testimony, language: str) -> str:
    with translation.override(language):
        return media.TestimonyBlock().render(item)


@pytest.mark.django_db
def test_a_testimony_shows_in_welsh_in_the_welsh_interface():
    item = consented_testimony(is_fictional_composite=True)
    welsh_item = translate_snippet(item, WELSH_TESTIMONY)
    assert welsh_item.is_fictional_composite  # the label is the source's
    shown = render_testimony(item, "cy")
    assert "Beth mae Robin am i swyddogion ei glywed." in shown
    assert item.text not in shown
    assert item.text in render_testimony(item, "en-gb")


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["saved", "updated"])
def test_withdrawing_the_english_testimony_withdraws_its_welsh_translation(how):
    item = consented_testimony()
    welsh_item = translate_snippet(item, WELSH_TESTIMONY)
    assert set(Testimony.objects.shareable()) == {item, welsh_item}
    if how == "saved":  # as the admin does: the translation gets the date too
        item.consent_withdrawn_on = timezone.localdate()
        item.save()
        welsh_item.refresh_from_db()
        assert welsh_item.consent_withdrawn_on == item.consent_withdrawn_on
    else:  # even a change that skips save(): the source decides
        Testimony.objects.filter(pk=item.pk).update(consent_withdrawn_on=timezone.localdate())
        item.refresh_from_db()
    assert not Testimony.objects.shareable().exists()
    # On an English page (the English testimony) and on a Welsh one (either: a Welsh page
    # may hold the English testimony or its translation), in either interface language.
    for shown, languages in ((item, ("en-gb", "cy")), (welsh_item, ("cy",))):
        for language in languages:
            assert "Robin" not in render_testimony(shown, language)


@pytest.mark.django_db
def test_consent_fields_cannot_be_overridden_in_a_translation():
    from wagtail_localize.fields import get_translatable_fields

    fields = {f.field_name: f for f in get_translatable_fields(Testimony)}
    item = consented_testimony()
    for name in ("consent_withdrawn_on", "consent_review_by", "is_fictional_composite"):
        assert fields[name].is_synchronized(item) and not fields[name].is_overridable(item)


@pytest.mark.django_db
def test_localized_all_keeps_english_without_a_query(django_assert_num_queries):
    services = [SupportService.objects.create(name=f"S{i}", description="d") for i in range(3)]
    with django_assert_num_queries(0):
        assert localized_all(services) == services
    with translation.override("cy"), django_assert_num_queries(1):
        assert localized_all(services) == services


@pytest.mark.django_db
def test_a_welsh_lesson_offers_the_english_survey(module_tree):
    from courses import selectors

    survey = make_survey(module_tree.programme)
    lesson = module_tree.lessons[0]
    welsh_lesson = lesson.copy_for_translation(welsh(), copy_parents=True, alias=True)
    officer = learner("south-wales")
    assert selectors.pre_survey_offer(user=officer, lesson=welsh_lesson) == survey


def test_a_welsh_surveys_free_text_screen_shows_the_english_surveys_answers(
    client, editor, module_tree, django_capture_on_commit_callbacks
):
    """Answers in every language are the source survey's: its translation's admin address
    shows them, and the listing offers the screen once, beside the source."""
    survey = make_survey(module_tree.programme)
    with django_capture_on_commit_callbacks(execute=True):
        welsh_survey = translate_snippet(survey, WELSH_SURVEY)
    client.force_login(editor)
    english = client.get(reverse("survey_free_text", args=[survey.pk]))
    welsh_screen = client.get(reverse("survey_free_text", args=[welsh_survey.pk]))
    assert english.status_code == welsh_screen.status_code == 200
    assert welsh_screen.context["screen"] == english.context["screen"]
    listing = client.get(reverse("wagtailsnippets_courses_attitudesurvey:list")).text
    assert listing.count(reverse("survey_free_text", args=[survey.pk])) == 1
    assert reverse("survey_free_text", args=[welsh_survey.pk]) not in listing
