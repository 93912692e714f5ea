"""Editors in a real browser: the staff sign-in page, and previews of a lesson in the admin's
side panel and in a new tab (framed by the admin under the site's policy otherwise unchanged).
`context_factory` fails the test on any Content-Security-Policy violation in the console,
including a preview refused by `frame-ancestors`."""

import pytest

from courses.demo import MODULES
from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

EDITOR = "editor@demo.example"
LESSON_TITLE = MODULES[0]["lessons"][0][0]  # "Leading the change", lesson 1


def staff_sign_in(page, next_path: str = "/admin/") -> None:
    page.goto(next_path)  # signed out: Wagtail sends the editor to the staff sign-in
    page.get_by_role("heading", name="Sign in to the SafeLives editors' area").wait_for()
    page.get_by_label("Email").fill(EDITOR)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{next_path}")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_the_staff_sign_in_page_says_it_is_for_staff(context_factory, width):
    page = context_factory(width).new_page()
    page.goto("/admin/")
    assert page.url.endswith("/admin/login/?next=/admin/")
    page.get_by_role("heading", name="Sign in to the SafeLives editors' area").wait_for()
    text = page.inner_text("main")
    assert "For SafeLives staff" in text
    assert "force email" not in text.lower()
    assert_accessible(page, f"staff sign-in at {width}")
    screenshot(page, f"staff-sign-in-{width}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_a_wrong_password_is_refused_on_the_staff_page(context_factory):
    page = context_factory("desktop").new_page()
    page.goto("/admin/login/")
    page.get_by_label("Email").fill(EDITOR)
    page.get_by_label("Password").fill("not-the-password")
    page.get_by_role("button", name="Sign in").click()
    page.get_by_text("The email address and/or password you specified are not correct.").wait_for()
    assert page.url.endswith("/admin/login/")


def lesson_id(page, title: str) -> int:
    return page.evaluate(
        """async (title) => {
            const r = await fetch('/admin/api/main/pages/?type=courses.LessonPage&limit=20');
            const body = await r.json();
            return body.items.find((item) => item.title === title).id;
        }""",
        title,
    )


def test_an_editor_previews_a_lesson_in_the_side_panel_and_a_new_tab(context_factory):
    context = context_factory("desktop")
    page = context.new_page()
    staff_sign_in(page)
    page.goto(f"/admin/pages/{lesson_id(page, LESSON_TITLE)}/edit/")
    page.locator("form#page-edit-form").wait_for()

    page.get_by_role("button", name="Toggle preview").click()
    preview = page.frame_locator("#w-preview-iframe")
    heading = preview.get_by_role("heading", level=1)
    heading.wait_for()
    assert heading.inner_text() == LESSON_TITLE
    page.wait_for_load_state("networkidle")
    screenshot(page, "preview-panel-desktop")

    with context.expect_page() as opened:
        page.get_by_role("link", name="Preview in new tab").click()
    tab = opened.value
    tab.get_by_role("heading", name=LESSON_TITLE, level=1).wait_for()
    assert "/admin/pages/" in tab.url and "/preview/" in tab.url
