"""A force training lead in a real browser: signs in at the staff page, opens Learners, sees
only their own force's learners, and changes a learner's team."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

LEAD = "browser.lead@met.demo.example"
MAKE_LEAD = f"""
from django.contrib.auth import get_user_model
from courses import services
from courses.models import Force

user, _ = get_user_model().objects.get_or_create(
    username="{LEAD}", defaults={{"email": "{LEAD}", "first_name": "Ade", "last_name": "Lead"}}
)
user.set_password("{DEMO_PASSWORD}")
user.save()
user.emailaddress_set.get_or_create(
    email=user.email, defaults={{"verified": True, "primary": True}}
)
services.lead_grant(user=user, forces=[Force.objects.get(code="met")])
"""


@pytest.fixture(scope="module")
def met_lead(app_server):
    app_server.manage("shell", "-c", MAKE_LEAD)
    return LEAD


def sign_in(page, email):
    page.goto("/admin/")
    page.get_by_role("heading", name="Sign in to the SafeLives editors' area").wait_for()
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def test_a_lead_signs_in_and_changes_a_learners_team(context_factory, met_lead):
    page = context_factory("desktop").new_page()
    sign_in(page, met_lead)
    page.get_by_role("link", name="Learners").first.click()
    page.wait_for_url("**/admin/force_learners/")
    page.locator("table.listing").wait_for()
    # Among the demo's many Met learners (survey respondents too), find learner 1 by search.
    page.goto("/admin/force_learners/?q=learner1%40met.demo.example")
    table = page.locator("table.listing")
    table.wait_for()
    text = table.inner_text()
    assert "learner1@met.demo.example" in text
    assert "gmp.demo.example" not in page.content()
    assert_accessible(page, "learners list")
    screenshot(page, "lead-learners-desktop")

    page.get_by_role("row").filter(has_text="learner1@met.demo.example").get_by_role(
        "link"
    ).first.click()
    page.get_by_label("Team").wait_for()
    assert_accessible(page, "learner edit form")
    screenshot(page, "lead-learner-edit-desktop")
    page.get_by_label("Team").fill("Response team B")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("details saved").wait_for()
    assert page.url.endswith("/admin/force_learners/")
    page.goto("/admin/force_learners/?q=learner1%40met.demo.example")
    row = page.get_by_role("row").filter(has_text="learner1@met.demo.example")
    assert "Response team B" in row.inner_text()


def test_the_learners_list_on_a_phone(context_factory, met_lead):
    page = context_factory("mobile").new_page()
    sign_in(page, met_lead)
    page.goto("/admin/force_learners/")
    page.locator("table.listing").wait_for()
    assert_accessible(page, "learners list on a phone")
    screenshot(page, "lead-learners-mobile")
