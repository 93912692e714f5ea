"""Public pages in a real browser at desktop and 360px widths: accessible and keyboard-usable."""

import pytest

from tests.browser.conftest import assert_accessible, screenshot


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(("name", "path"), [("home", "/"), ("support", "/support/")])
def test_public_page_is_accessible(context_factory, width, name, path):
    page = context_factory(width).new_page()
    response = page.goto(path)
    assert response.status == 200
    assert_accessible(page, f"{name} at {width}")
    screenshot(page, f"{name}-{width}")
    # Nothing wider than the viewport at 360px (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_skip_link_is_first_focus_and_moves_to_main(page):
    page.goto("/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
