"""The learner journey in a real browser: account pages, My learning, a lesson with and without
JavaScript. Accessible (axe, WCAG 2.2 AA rules) at desktop and 360px widths."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

LEARNER = "learner1@met.demo.example"


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def sign_in(page, email=LEARNER, password=DEMO_PASSWORD):
    page.goto("/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "path"),
    [
        ("sign-in", "/accounts/login/"),
        ("register", "/accounts/signup/"),
        ("password-reset", "/accounts/password/reset/"),
        ("check-a-certificate", "/certificates/verify/"),
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
    sign_in(page)
    page.wait_for_url("**/my-learning/")
    assert page.get_by_role("heading", name="My learning", level=1).is_visible()
    assert page.locator("progress").count() >= 3
    assert_accessible(page, f"my learning at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"my-learning-{width}")


def test_mark_complete_with_javascript_stays_on_the_page(context_factory):
    page = context_factory("desktop").new_page()
    sign_in(page, "learner2@met.demo.example")
    page.wait_for_url("**/my-learning/")
    page.get_by_role("link", name="Start").first.click()
    if "before-you-start" in page.url:
        assert_accessible(page, "content notice")
        screenshot(page, "content-notice-desktop")
        page.get_by_role("link", name="Continue to the first lesson").click()
    lesson_url = page.url
    assert_accessible(page, "lesson")
    screenshot(page, "lesson-desktop")

    page.get_by_role("button", name="Mark complete and continue").click()

    next_link = page.get_by_role("link", name="Continue to the next lesson")
    next_link.wait_for()
    assert page.url == lesson_url  # no reload, no navigation
    assert page.evaluate("document.activeElement.textContent") == "Continue to the next lesson"
    assert "You have completed this lesson." in page.content()


def test_mark_complete_without_javascript_is_a_plain_post(context_factory):
    page = context_factory("mobile", javascript=False).new_page()
    sign_in(page, "learner3@met.demo.example")
    page.wait_for_url("**/my-learning/")
    page.get_by_role("link", name="Start").first.click()
    # No axe or scroll checks here: they run scripts, which this context forbids.
    if "before-you-start" in page.url:
        page.get_by_role("link", name="Continue to the first lesson").click()
    first = page.url

    page.get_by_role("button", name="Mark complete and continue").click()

    page.wait_for_load_state()
    assert page.url != first
    assert "Lesson 2 of" in page.content()


def test_a_whole_module_to_an_accessible_certificate_and_its_verification(context_factory):
    """Keyboard-free but real: answer the check (retrying until right), complete every lesson,
    then open the certificate and its public verification page."""
    page = context_factory("desktop").new_page()
    sign_in(page, "learner1@gmp.demo.example")
    page.wait_for_url("**/my-learning/")
    page.get_by_role("link", name="Start").first.click()
    if "before-you-start" in page.url:
        page.get_by_role("link", name="Continue to the first lesson").click()

    for _ in range(10):  # at most ten lessons
        checks = page.locator("section.knowledge-check")
        for c in range(checks.count()):
            options = checks.nth(c).locator("input[name=answer]")
            for i in range(options.count()):
                check = page.locator("section.knowledge-check").nth(c)
                check.locator("input[name=answer]").nth(i).check()
                check.get_by_role("button").click()
                page.wait_for_load_state()
                if "Correct." in page.locator("section.knowledge-check").nth(c).inner_text():
                    break
        page.locator("[data-progress-form] button[type=submit]").click()
        follow = page.locator("[data-progress-status] + a, form[data-progress-form] a.button")
        follow.first.wait_for()
        text = follow.first.inner_text()
        follow.first.click()
        page.wait_for_load_state()
        if text.startswith("Module complete"):
            break

    assert "/my-learning/certificates/" in page.url
    assert page.get_by_role("heading", name="Certificate of completion").is_visible()
    assert_accessible(page, "certificate")
    screenshot(page, "certificate-desktop")
    code = page.locator(".certificate__details code").inner_text()

    public = context_factory("mobile").new_page()
    public.goto(f"/certificates/verify/?code={code.lower()}")
    assert public.get_by_role("heading", name="This certificate is valid").is_visible()
    assert "learner1" not in public.content()
    assert_accessible(public, "certificate verification")
    assert no_horizontal_scroll(public)
    screenshot(public, "certificate-verify-mobile")
