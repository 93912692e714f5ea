"""seed_demo's Welsh snippets (courses.demo.welsh_snippets): the demo's national support
services, its testimonies (still labelled fictional) and its attitude survey in Welsh, made
through wagtail-localize so that editors can open, edit and sync them; seeding again changes
nothing."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import translation
from wagtail.models import Locale
from wagtail_localize.models import Translation, TranslationSource

from courses.demo import evidence_c, support, welsh_snippets
from courses.demo import testimony as demo_testimony
from courses.models import AttitudeSurvey, SupportService, Testimony


@pytest.fixture(autouse=True)
def english_afterwards():
    yield
    translation.deactivate()


@pytest.fixture
def seeded(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--learners-per-force", "0", stdout=StringIO())


def welsh():
    return Locale.objects.get(language_code="cy")


def test_the_demo_snippets_have_welsh_translations_editors_can_sync(seeded):
    for model, count in (
        (SupportService, len(support.SUPPORT_SERVICES)),
        (Testimony, len(demo_testimony.TESTIMONY)),
        (AttitudeSurvey, 1),
    ):
        translated = model.objects.filter(locale=welsh())
        assert translated.count() == count, model
        for item in translated:
            source = TranslationSource.objects.get(object_id=item.translation_key)
            assert Translation.objects.filter(source=source, target_locale=welsh()).exists()

    survey = AttitudeSurvey.objects.get(locale=welsh())
    assert survey.live and survey.title == welsh_snippets.SURVEY[evidence_c.TITLE]
    assert [s.text for s in survey.statements.order_by("sort_order")] == [
        welsh_snippets.SURVEY[text] for text in evidence_c.STATEMENTS
    ]
    for item in Testimony.objects.filter(locale=welsh()):
        assert item.is_fictional_composite
        assert "cyfansawdd ffuglennol" in item.attribution
        assert item.text.startswith("Mae'r hanes hwn yn gyfansawdd ffuglennol")
        assert item.text in welsh_snippets.TESTIMONY.values()
    helpline = SupportService.objects.get(locale=welsh(), phone="0808 2000 247")
    assert helpline.hours == "24 awr, bob dydd"
    assert helpline.description.startswith("Cymorth am ddim a chyfrinachol")


def test_the_welsh_support_page_and_seeding_again(
    seeded, client, django_capture_on_commit_callbacks
):
    with translation.override("cy"):
        url = reverse("courses:support")
    page = client.get(url).text
    assert "Cymorth am ddim a chyfrinachol" in page
    counts = {m: m.objects.count() for m in (SupportService, Testimony, AttitudeSurvey)}
    with django_capture_on_commit_callbacks(execute=True):
        call_command("seed_demo", "--learners-per-force", "0", stdout=StringIO())
    assert {m: m.objects.count() for m in counts} == counts
