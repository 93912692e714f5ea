"""Public pages in a real browser at desktop and 360px widths: accessible and keyboard-usable."""

import pytest

from tests.browser.conftest import assert_accessible, screenshot


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "path", "ready"),
    [
        ("home", "/en-gb/", "main h1"),
        ("support", "/en-gb/support/", "main h1"),
        # Swagger UI renders from the schema after load: wait for the operations it draws.
        ("api-docs", "/api/docs/", ".opblock"),
    ],
)
def test_public_page_is_accessible(context_factory, width, name, path, ready):
    page = context_factory(width).new_page()
    response = page.goto(path)
    assert response.status == 200
    page.locator(ready).first.wait_for()
    assert_accessible(page, f"{name} at {width}")
    screenshot(page, f"{name}-{width}")
    # Nothing wider than the viewport at 360px (WCAG 1.4.10 reflow).
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def test_skip_link_is_first_focus_and_moves_to_main(page):
    page.goto("/en-gb/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent.trim()") == "Skip to main content"
    assert page.evaluate("getComputedStyle(document.activeElement).outlineStyle") != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_the_page_heading_has_room_below_the_header(context_factory, width):
    page = context_factory(width).new_page()
    page.goto("/en-gb/support/")
    gap = page.evaluate(
        "document.querySelector('main h1').getBoundingClientRect().top"
        " - document.querySelector('.site-header').getBoundingClientRect().bottom"
    )
    assert gap >= 16  # main's top padding: a heading flush against the header bar reads badly
