"""Page types: tree rules, sign-in, lesson position and navigation, module page content."""

import os
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse
from wagtail.models import Locale, Page
from wagtail.test.utils import WagtailPageTestCase

from courses.models import LessonPage, ModulePage, ProgrammePage, SupportService
from home.models import HomePage
from tests.conftest import build_module_tree
from tests.factories import LessonPageFactory, UserFactory, learner
from tests.test_query_counts import LESSON_PAGE


class PageTreeRulesTests(WagtailPageTestCase):
    def test_programme_only_under_home(self):
        self.assertCanCreateAt(HomePage, ProgrammePage)
        self.assertCanNotCreateAt(Page, ProgrammePage)
        self.assertCanNotCreateAt(ProgrammePage, ProgrammePage)
        self.assertAllowedParentPageTypes(ProgrammePage, {HomePage})

    def test_module_only_under_programme(self):
        self.assertCanCreateAt(ProgrammePage, ModulePage)
        self.assertCanNotCreateAt(HomePage, ModulePage)
        self.assertCanNotCreateAt(ModulePage, ModulePage)
        self.assertAllowedSubpageTypes(ProgrammePage, {ModulePage})

    def test_lesson_only_under_module_and_has_no_children(self):
        self.assertCanCreateAt(ModulePage, LessonPage)
        self.assertCanNotCreateAt(ProgrammePage, LessonPage)
        self.assertCanNotCreateAt(LessonPage, LessonPage)
        self.assertAllowedSubpageTypes(ModulePage, {LessonPage})
        self.assertAllowedSubpageTypes(LessonPage, set())


def test_every_page_field_has_help_text():
    for model in (ProgrammePage, ModulePage, LessonPage):
        own = [f for f in model._meta.get_fields(include_parents=False) if f.concrete]
        missing = [f.name for f in own if not f.primary_key and not f.help_text]
        assert missing == [], f"{model.__name__} fields without help text: {missing}"


@pytest.mark.parametrize("which", ["module", "lesson"])
def test_anonymous_visitors_are_sent_to_sign_in_with_next(client, module_tree, which):
    page = module_tree.module if which == "module" else module_tree.lessons[0]
    response = client.get(page.url)
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={page.url}"


def test_programme_page_is_public_and_lists_live_modules(client, module_tree):
    draft = module_tree.module.add_sibling(
        instance=ModulePage(title="Unpublished module", theme="other", summary="x", live=False)
    )
    response = client.get(module_tree.programme.url)
    assert response.status_code == 200
    assert module_tree.module.title in response.text
    assert draft.title not in response.text


def test_module_page_shows_notice_outcomes_and_lessons(client, module_tree):
    module = module_tree.module
    service = SupportService.objects.create(
        name="Test helpline", description="Helps", phone="0800 000 0000"
    )
    module.content_notice = "<p>This module discusses coercive control.</p>"
    module.learning_outcomes = "<ul><li>Spot the pattern</li></ul>"
    module.save()
    module.notice_support_services.add(service)
    module.save()
    client.force_login(learner())
    response = client.get(module.url)
    html = response.text
    assert response.status_code == 200
    assert "This module discusses coercive control." in html
    assert 'href="tel:08000000000"' in html
    assert "Spot the pattern" in html
    assert html.index("coercive control") < html.index(">Lessons<")
    for lesson in module_tree.lessons:
        assert lesson.url in html


def test_lesson_shows_position_and_neighbours(client, module_tree):
    client.force_login(learner())
    first, middle, last = module_tree.lessons
    html = client.get(middle.url).text
    assert "Lesson 2 of 3" in html
    assert f'href="{first.url}" rel="prev"' in html
    assert f'href="{last.url}" rel="next"' in html

    html = client.get(first.url).text
    assert "Lesson 1 of 3" in html
    assert 'rel="prev"' not in html

    html = client.get(last.url).text
    assert "Lesson 3 of 3" in html
    assert 'rel="next"' not in html
    assert f'href="{module_tree.module.url}"' in html


def test_lesson_query_count_does_not_grow_with_lesson_count(
    client, home_page, django_assert_num_queries
):
    small = build_module_tree(home_page, title="Small", lessons=2)
    large = build_module_tree(home_page, title="Large", lessons=12)
    client.force_login(learner())
    client.get(small.lessons[0].url)  # warm site-root caches
    for tree in (small, large):
        client.get(tree.lessons[-1].url)  # the first view also records `experienced`
        # The same for 2 and 12 lessons: tests/test_query_counts.py's lesson page, and the
        # learner's reflections (the last lesson has a reflection prompt).
        with django_assert_num_queries(LESSON_PAGE + 1):
            assert client.get(tree.lessons[-1].url).status_code == 200


def test_draft_lesson_preview_is_placed_in_sequence(rf, module_tree):
    module = module_tree.module
    draft = LessonPageFactory.build(title="Draft lesson")
    module.add_child(instance=draft)
    draft.unpublish()
    request = rf.get("/")
    request.user = learner()
    context = draft.get_context(request)
    assert context["lesson_count"] == 4
    assert context["lesson_number"] == 4
    assert context["previous_lesson"].pk == module_tree.lessons[-1].pk


def test_lesson_page_has_landmarks_skip_link_and_one_h1(client, module_tree):
    client.force_login(learner())
    html = client.get(module_tree.lessons[-1].url).text
    assert 'href="#main"' in html
    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert 'aria-label="Breadcrumb"' in html


def test_editor_can_preview_a_new_lesson_in_the_admin(client, module_tree):
    client.force_login(UserFactory(is_superuser=True))
    url = reverse(
        "wagtailadmin_pages:preview_on_add",
        args=["courses", "lessonpage", module_tree.module.pk],
    )
    data = {
        "title": "Draft lesson",
        "slug": "draft-lesson",
        "estimated_minutes": "5",
        "body-count": "1",
        "body-0-type": "paragraph",
        "body-0-order": "0",
        "body-0-deleted": "",
        "body-0-id": "p1",
        "body-0-value": '{"blocks":[{"key":"a","text":"Preview text","type":"unstyled",'
        '"depth":0,"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
    }
    assert client.post(url, data).json()["is_valid"] is True
    response = client.get(url)
    assert response.status_code == 200
    assert "Preview text" in response.text
    assert "Lesson 4 of 4" in response.text


CHROMIUM = Path("/usr/bin/chromium")


@pytest.mark.browser
@pytest.mark.skipif(
    not CHROMIUM.exists() and os.environ.get("REQUIRE_BROWSER_TESTS") != "1",
    reason="needs Chromium at /usr/bin/chromium",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_demo_pages_pass_axe_and_fit_360px(live_server, settings, tmp_path):
    """A real browser at phone width: no axe violations and no sideways scrolling."""
    from axe_playwright_python.sync_playwright import Axe
    from playwright.sync_api import sync_playwright

    settings.MEDIA_ROOT = tmp_path
    call_command("seed_demo", "--learners-per-force", "1", stdout=StringIO())
    welsh_module = ModulePage.objects.get(slug="lleisiau-goroeswyr", locale__language_code="cy")
    urls = [
        reverse("courses:support"),
        ModulePage.objects.get(slug="why-doesnt-he-stop", locale=Locale.get_default()).url,
        *[lesson.url for lesson in LessonPage.objects.child_of(ModulePage.objects.first())],
        # The Welsh module (courses.demo.welsh_pages) and its lessons.
        welsh_module.url,
        *[lesson.url for lesson in LessonPage.objects.child_of(welsh_module)],
    ]
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM))
        page = browser.new_context(viewport={"width": 360, "height": 800}).new_page()
        page.goto(live_server.url + reverse("account_login"))
        page.fill("input[name=login]", "learner1@met.demo.example")
        page.fill("input[name=password]", "demo-password-2026")
        page.click("button[type=submit]")
        for url in urls:
            page.goto(live_server.url + url)
            assert page.evaluate("document.documentElement.scrollWidth") <= 360, url
            violations = Axe().run(page).response["violations"]
            assert [v["id"] for v in violations] == [], url
        browser.close()
