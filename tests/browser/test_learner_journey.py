"""The learner journey in a real browser: account pages, My learning, a lesson with and without
JavaScript. Accessible (axe, WCAG 2.2 AA rules) at desktop and 360px widths. A whole module page
by page is in test_accessibility.py; from registration to the manager's report, test_e2e_journey.py.
"""

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import DEMO_MODULE, no_horizontal_scroll, sign_in

LEARNER = "learner1@met.demo.example"


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("sign-in", "/accounts/login/"),
        ("register", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
        ("check-a-certificate", "/en-gb/certificates/verify/"),
    ],
)
def test_account_pages_are_accessible(context_factory, width, name, path):
    page = context_factory(width).new_page()
    assert page.goto(path).status == 200
    assert_accessible(page, f"{name} at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"{name}-{width}")


def test_registration_errors_are_announced_and_accessible(context_factory):
    page = context_factory("mobile").new_page()
    page.goto("/accounts/signup/")
    page.get_by_label("Force email address").fill("someone@elsewhere.example")
    page.get_by_role("button", name="Register").click()
    assert page.get_by_role("alert").is_visible()
    assert "Use your force email address" in page.content()
    assert_accessible(page, "register with errors")
    screenshot(page, "register-errors-mobile")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_my_learning_is_accessible(context_factory, width):
    page = context_factory(width).new_page()
    sign_in(page, LEARNER)
    assert page.get_by_role("heading", name="My learning", level=1).is_visible()
    assert page.locator("progress").count() >= 3
    assert_accessible(page, f"my learning at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"my-learning-{width}")


def test_mark_complete_with_javascript_stays_on_the_page(context_factory):
    page = context_factory("desktop").new_page()
    sign_in(page, "learner2@met.demo.example")
    page.get_by_role("link", name="Start").first.click()
    if "before-you-start" in page.url:
        page.get_by_role("link", name="Continue to the first lesson").click()
    lesson_url = page.url

    page.get_by_role("button", name="Mark complete and continue").click()

    next_link = page.get_by_role("link", name="Continue to the next lesson")
    next_link.wait_for()
    assert page.url == lesson_url  # no reload, no navigation
    assert page.evaluate("document.activeElement.textContent") == "Continue to the next lesson"
    assert "You have completed this lesson." in page.content()


def test_mark_complete_without_javascript_is_a_plain_post(context_factory):
    page = context_factory("mobile", javascript=False).new_page()
    sign_in(page, "learner3@met.demo.example")
    page.get_by_role("link", name="Start").first.click()
    # No axe or scroll checks here: they run scripts, which this context forbids.
    if "before-you-start" in page.url:
        page.get_by_role("link", name="Continue to the first lesson").click()
    first = page.url

    page.get_by_role("button", name="Mark complete and continue").click()

    page.wait_for_load_state()
    assert page.url != first
    assert "Lesson 2 of" in page.content()


def test_the_module_page_and_the_last_lesson_say_what_is_left(context_factory):
    """With JavaScript: finishing the last lesson first says which lesson is left and moves
    focus to it; the module page then ticks that lesson and continues at the first unfinished
    one; both pass axe."""
    page = context_factory("desktop").new_page()
    sign_in(page, "learner5@met.demo.example")
    module_url = f"/en-gb/da-matters/{DEMO_MODULE['slug']}/"
    count = len(DEMO_MODULE["lessons"])
    (first_title, _), (last_title, _) = DEMO_MODULE["lessons"][0], DEMO_MODULE["lessons"][-1]

    page.goto(f"{module_url}lesson-{count}/")
    page.get_by_role("button", name="Mark complete and finish the module").click()
    status = page.locator("[data-progress-status]")
    status.get_by_text("To complete the module, you also need to finish Lesson 1").wait_for()
    assert page.evaluate("document.activeElement.textContent") == f"Go to Lesson 1: {first_title}"
    assert_accessible(page, "last lesson, lessons left")

    page.goto(module_url)
    items = page.locator(".lesson-list__item")
    assert "Not started" in items.nth(0).inner_text()
    assert "✓ Completed" in items.nth(count - 1).inner_text()
    assert last_title in items.nth(count - 1).inner_text()
    continue_link = page.get_by_role("link", name=f"Continue {DEMO_MODULE['title']}")
    assert continue_link.get_attribute("href").endswith(f"{module_url}lesson-1/")
    assert_accessible(page, "module page in progress")
    assert no_horizontal_scroll(page)
    screenshot(page, "module-in-progress-desktop")
