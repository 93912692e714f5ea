"""Accessibility in a real browser (WCAG 2.2 AA): axe-core on every learner-facing page state at
desktop and 360px widths, no horizontal scrolling at 360px, a lesson completed with the keyboard
alone, focus always visible, and content warnings exposed to screen readers."""

import pytest

from courses.management.commands._demo_programme import MODULES
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import DEMO_MODULE, no_horizontal_scroll, sign_in, take_module

PROGRAMME = "/da-matters"  # seed_demo's programme slug; modules and lessons sit under it


def lesson_path(module: dict, number: int) -> str:
    return f"{PROGRAMME}/{module['slug']}/lesson-{number}/"


def auditor(page, width: str):
    """A per-page hook: axe (no serious or critical violation), reflow, and a screenshot."""

    def audit(name: str) -> None:
        assert_accessible(page, f"{name} at {width}")
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width}"
        screenshot(page, f"{name}-{width}")

    return audit


@pytest.mark.parametrize(
    ("width", "learner"),
    [("desktop", "learner4@gmp.demo.example"), ("mobile", "learner5@gmp.demo.example")],
)
def test_every_page_of_a_module_is_accessible(context_factory, width, learner):
    """One signed-in context walks the demo module (content notice, each lesson, the check's
    feedback, certificate, verification), then the module page and every other demo lesson."""
    page = context_factory(width).new_page()
    audit = auditor(page, width)
    sign_in(page, learner)

    done = take_module(page, on_page=audit)

    page.goto(done.module_url)
    page.get_by_role("heading", name=DEMO_MODULE["title"], level=1).wait_for()
    audit("module")
    for module in MODULES[1:]:
        for number, (title, _blocks) in enumerate(module["lessons"], start=1):
            page.goto(lesson_path(module, number))
            page.get_by_role("heading", name=title, level=1).wait_for()
            audit(f"{module['key']}-lesson-{number}")
