"""Public pages in a real browser at desktop and 360px widths: accessible and keyboard-usable."""

import pytest

from tests.browser.conftest import assert_accessible, screenshot

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.mark.parametrize("width", ["desktop", "mobile"])
@pytest.mark.parametrize(
    ("name", "path"),
    [("home", "/"), ("support", "/support/")],
)
def test_public_page_is_accessible(live_server, context_factory, width, name, path):
    page = context_factory(width).new_page()
    response = page.goto(live_server.url + path)
    assert response.status == 200
    assert_accessible(page, f"{name} at {width}")
    screenshot(page, f"{name}-{width}")
    # Nothing wider than the viewport at 360px (WCAG 1.4.10 reflow).
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0


def test_skip_link_is_first_focus_and_moves_to_main(live_server, page):
    page.goto(live_server.url + "/")
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Skip to main content"
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"
