"""seed_demo's Welsh pages: wagtail-localize translations of the home page, the programme and a
whole module, aliases for the rest, and the same Welsh tree however often it runs."""

from io import StringIO

import pytest
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Locale, Page
from wagtail_localize.models import (
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)

from courses import services
from courses.demo import welsh_pages
from courses.models import AttitudeSurvey, LessonPage, ModulePage, ProgrammePage
from home.models import AccessibilityStatementPage, PrivacyNoticePage

LEARNER = "learner1@met.demo.example"


@pytest.fixture(scope="module")
def seeded_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """seed_demo once for this module, rolled back when the module ends (as in
    test_seed_demo.py); each test runs in a savepoint inside it."""
    media = tmp_path_factory.mktemp("demo-media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        call_command("seed_demo", "--forces", "met", "--learners-per-force", "1", stdout=StringIO())
        yield
        transaction.set_rollback(True)


@pytest.fixture
def seeded(seeded_once, db):
    return seeded_once


@pytest.fixture
def welsh(seeded) -> Locale:
    return Locale.objects.get(language_code="cy")


@pytest.fixture
def learner_client(seeded, client):
    learner = get_user_model().objects.get(email=LEARNER)
    for survey in AttitudeSurvey.objects.filter(live=True):
        services.survey_decline(learner=learner, survey=survey, stage="pre")
    client.force_login(learner)
    return client


def english_module(slug: str) -> ModulePage:
    return ModulePage.objects.get(slug=slug, locale=Locale.get_default())


def module_pages(module: Page) -> list[Page]:
    return [module, *LessonPage.objects.child_of(module).order_by("path")]


@pytest.mark.parametrize("slug", welsh_pages.WELSH_MODULES)
def test_a_whole_module_is_a_published_welsh_translation(welsh, slug):
    english = english_module(slug)
    lessons = LessonPage.objects.child_of(english)
    assert lessons.count() == 3
    for page in module_pages(english):
        source = TranslationSource.objects.get_for_instance(page)
        assert Translation.objects.filter(source=source, target_locale=welsh, enabled=True)
        target = page.get_translation(welsh)
        assert target.alias_of_id is None, f"{page.title} is still an alias"
        assert target.live and not target.has_unpublished_changes, page.title
        untranslated = (
            StringSegment.objects.filter(source=source)
            .annotate_translation(welsh)
            .filter(translation__isnull=True)
        )
        assert not untranslated.exists(), (page.title, list(untranslated.values("string__data")))
        assert target.title == welsh_pages.WELSH[page.title]
    module = english.get_translation(welsh).specific
    assert module.notice_support_services.count() == english.notice_support_services.count()
    assert LessonPage.objects.child_of(module).live().count() == 3


def test_the_survivor_voices_module_says_its_testimony_is_fictional(welsh):
    module = english_module("survivor-voices").get_translation(welsh).specific
    assert module.title == "Lleisiau goroeswyr"
    assert "Hanesion ffuglennol ydyn nhw" in module.content_notice


def test_the_welsh_lessons_have_every_block_in_welsh_and_the_same_check(welsh):
    english = LessonPage.objects.filter(locale=Locale.get_default())
    for lesson in english.filter(slug__startswith="lesson-"):
        target = lesson.get_translation(welsh).specific
        english_blocks = {child.id: child for child in lesson.body}
        assert [child.id for child in target.body] == list(english_blocks)
        for child in target.body:
            before = english_blocks[child.id]
            assert child.block_type == before.block_type
            if child.block_type == "knowledge_check":
                assert child.value["question"] == welsh_pages.WELSH[before.value["question"]]
                assert [o["is_correct"] for o in child.value["options"]] == [
                    o["is_correct"] for o in before.value["options"]
                ]
                for option, english_option in zip(
                    child.value["options"], before.value["options"], strict=True
                ):
                    assert option["text"] == welsh_pages.WELSH[english_option["text"]]
                    assert option["feedback"] == welsh_pages.WELSH[english_option["feedback"]]
            if child.block_type == "reflection_prompt":
                assert child.value["prompt"] == welsh_pages.WELSH[before.value["prompt"]]
            if child.block_type == "content_warning":
                assert "Does dim manylion graffig" in child.value["text"].source
                # The Welsh lesson names the same services, in their Welsh translations.
                assert [s.translation_key for s in child.value["support_services"]] == [
                    s.translation_key for s in before.value["support_services"]
                ]


def test_the_welsh_module_and_lessons_serve_welsh_to_a_signed_in_learner(welsh, learner_client):
    english = english_module("survivor-voices")
    expected = {
        "Lleisiau goroeswyr": "Cymerwch seibiant pryd bynnag y bydd angen.",
        "Gwrando yn gyntaf": "Gall yr ychydig funudau cyntaf benderfynu",
        "Beth helpodd, a beth na helpodd": "Parch ydyw.",
        "Dal gobaith a risg gyda&#x27;i gilydd": "Yn ôl goroeswyr, beth sydd wedi gwneud",
    }
    pages = [page.get_translation(welsh) for page in module_pages(english)]
    for page, (title, text) in zip(pages, expected.items(), strict=True):
        assert page.url.startswith("/cy/"), page.url
        response = learner_client.get(page.url)
        assert response.status_code == 200, page.url
        html = response.text
        assert title in html and text in html, page.url


def test_the_welsh_home_and_programme_pages(welsh, client, learner_client):
    anonymous = client.__class__()
    home = anonymous.get("/cy/")
    assert home.status_code == 200
    assert "Hyfforddiant ar-lein am gam-drin domestig" in home.text
    programme = ProgrammePage.objects.get(locale=welsh)
    assert programme.alias_of_id is None
    response = learner_client.get(programme.url)
    assert response.status_code == 200
    assert "Rhaglen newid diwylliant am gam-drin domestig" in response.text


def test_the_welsh_privacy_notice_and_accessibility_statement(welsh, client, settings):
    for model, title, text in [
        (PrivacyNoticePage, "Hysbysiad preifatrwydd", "Cewch eich allgofnodi ar ôl"),
        (AccessibilityStatementPage, "Datganiad hygyrchedd", "Y drefn orfodi"),
    ]:
        page = model.objects.get(locale=welsh)
        assert page.alias_of_id is None and page.live, title
        response = client.get(page.url)
        assert response.status_code == 200, page.url
        assert title in response.text and text in response.text, page.url
        assert "<a href=" in page.body  # the links' addresses kept from the English
    notice = PrivacyNoticePage.objects.get(locale=welsh).body
    idle = welsh_pages.welsh_duration(settings.SESSION_COOKIE_AGE)
    assert f"ar ôl {idle} heb weithgarwch" in notice


def test_a_page_added_since_gets_a_welsh_alias_when_seeding_again(welsh):
    english = english_module("leading-the-change")
    lesson = LessonPage(title="A new lesson", slug="lesson-4", body=[], estimated_minutes=5)
    english.add_child(instance=lesson)  # in code: wagtail-localize's page hook does not run
    assert lesson.get_translation_or_none(welsh) is None
    call_command("seed_demo", "--forces", "met", "--learners-per-force", "1", stdout=StringIO())
    alias = lesson.get_translation(welsh)
    assert alias.alias_of_id == lesson.id
    assert alias.get_parent().specific == english.get_translation(welsh).specific


def test_seeding_again_keeps_one_welsh_page_per_english_page(welsh):
    def tree() -> dict:
        english = Page.objects.filter(locale=Locale.get_default(), depth__gt=1)
        return {
            "english": english.count(),
            "welsh": Page.objects.filter(locale=welsh).count(),
            "string translations": StringTranslation.objects.filter(locale=welsh).count(),
            "translations": Translation.objects.filter(target_locale=welsh).count(),
            "unmatched": [
                page.title
                for page in english
                if Page.objects.filter(translation_key=page.translation_key, locale=welsh).count()
                != 1
            ],
        }

    before = tree()
    assert before["unmatched"] == [] and before["welsh"] == before["english"]
    # An editor's change to a Welsh page is kept.
    english_lesson = LessonPage.objects.child_of(english_module("survivor-voices")).first()
    lesson = english_lesson.get_translation(welsh).specific
    lesson.title = "Gwrando yn gyntaf (wedi'i olygu)"
    lesson.save_revision().publish()
    call_command("seed_demo", "--forces", "met", "--learners-per-force", "1", stdout=StringIO())
    assert tree() == before
    lesson.refresh_from_db()
    assert lesson.title == "Gwrando yn gyntaf (wedi'i olygu)"
    assert welsh_pages.seed() == []
