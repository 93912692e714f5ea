"""A programme evaluator in a real browser: opens the national overview from the admin menu,
then a force's evidence page by keyboard alone. axe: no serious or critical violation on
either page."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.test_accessibility import tab_until

EVALUATOR = "browser-evaluator@demo.example"

# Run once against the app server's database: an evaluator who leads no force.
SETUP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from courses.models import PROGRAMME_EVALUATORS_GROUP

user, _ = get_user_model().objects.get_or_create(
    username="browser-evaluator", defaults={{"email": "{EVALUATOR}"}}
)
user.set_password("{DEMO_PASSWORD}")
user.save()
EmailAddress.objects.update_or_create(
    user=user, email="{EVALUATOR}", defaults={{"verified": True, "primary": True}}
)
user.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
"""
OVERVIEW = "/admin/force-dashboard/evidence/"


@pytest.fixture(scope="module")
def evaluator(app_server):
    app_server.manage("shell", "-c", SETUP)
    return EVALUATOR


def test_an_evaluator_opens_the_overview_and_a_force_by_keyboard(context_factory, evaluator):
    page = context_factory("desktop").new_page()
    page.goto(OVERVIEW)
    page.get_by_label("Email").fill(evaluator)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"**{OVERVIEW}")
    page.goto(OVERVIEW)  # once more without the "signed in" banner's fade-in

    page.get_by_role("heading", name="Evidence of cultural change").wait_for()
    page.get_by_role("table", name="National benchmark").wait_for()
    forces = page.get_by_role("table", name="Every force")
    assert forces.locator("tbody tr").count() >= 45  # every UK force, by name
    assert page.get_by_role("link", name="Download the evaluator's file (CSV)").is_visible()
    assert_accessible(page, "evidence overview")
    screenshot(page, "evidence-overview")

    # Forces are listed by name, so the Met is some way down: allow for every link above it.
    tab_until(
        page, lambda f: f["tag"] == "a" and f["text"] == "Metropolitan Police Service", limit=150
    )
    page.keyboard.press("Enter")
    page.wait_for_url("**/admin/force-dashboard/met/evidence/")
    page.get_by_role(
        "heading", name="Metropolitan Police Service: evidence of cultural change"
    ).wait_for()
    assert "@met.demo.example" not in page.content()  # no learner is named
    assert_accessible(page, "a force's evidence page, as an evaluator")
    screenshot(page, "evidence-force-evaluator")
