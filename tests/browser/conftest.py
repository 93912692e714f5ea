"""Real-browser tests: Playwright driving Debian's Chromium (never a downloaded browser).

Without /usr/bin/chromium they skip with a hint; with REQUIRE_BROWSER_TESTS=1 (CI) a missing
browser is a failure instead.
"""

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENS = Path(__file__).resolve().parents[2] / "artifacts" / "screens"
WIDTHS = {"desktop": (1280, 900), "mobile": (360, 740)}

# Playwright's sync API runs an event loop in this thread; the live server's database access
# happens in its own thread, and test set-up code here is synchronous by design.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    browser_items = [item for item in items if here in Path(item.fspath).parents]
    for item in browser_items:
        item.add_marker(pytest.mark.browser)
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("REQUIRE_BROWSER_TESTS") == "1":
        return  # the `browser` fixture fails loudly instead
    skip = pytest.mark.skip(
        reason=f"Chromium not found at {CHROMIUM}: `apt-get install chromium` enables browser tests"
    )
    for item in browser_items:
        item.add_marker(skip)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"REQUIRE_BROWSER_TESTS=1 but there is no Chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser):
    contexts = []

    def make(width: str = "desktop", *, javascript: bool = True):
        w, h = WIDTHS[width]
        context = browser.new_context(
            viewport={"width": w, "height": h}, java_script_enabled=javascript, locale="en-GB"
        )
        context.set_default_timeout(15_000)
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(context_factory):
    return context_factory("desktop").new_page()


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """Run axe-core (WCAG 2.0/2.1/2.2 A and AA rules) and return violations of these impacts."""
    from axe_playwright_python.sync_playwright import Axe

    options = {
        "runOnly": {
            "type": "tag",
            "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
        }
    }
    results = Axe().run(page, options=options)
    return [v for v in results.response["violations"] if v.get("impact") in impacts]


def assert_accessible(page, label: str) -> None:
    violations = axe_violations(page)
    summary = [
        f"{v['id']} ({v['impact']}): {v['help']} -> {[n['target'] for n in v['nodes']][:3]}"
        for v in violations
    ]
    assert not violations, f"{label}: " + "\n".join(summary)


def screenshot(page, name: str) -> Path:
    """Save a full-page screenshot under artifacts/screens (git-ignored, kept by CI)."""
    SCREENS.mkdir(parents=True, exist_ok=True)
    path = SCREENS / (re.sub(r"[^a-z0-9-]+", "-", name.lower()).strip("-") + ".png")
    page.screenshot(path=str(path), full_page=True)
    return path
