"""A force training lead in a real browser: signs in at the staff sign-in, reads their force's
dashboard (charts with their tables), follows a figure to the list behind it and downloads it
as CSV. axe: no serious or critical violation on the dashboard and the list."""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot

LEAD = "dashboard-lead@met.demo.example"

# Run once against the app server's database: a Met lead, and three Met learners of its own
# (never the demo learners other browser tests use): one finished a module, one is overdue on
# a required one, one has not started anything.
SETUP = f"""
import datetime
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from courses.models import (
    TRAINING_LEADS_GROUP, Force, LearnerProfile, ModulePage, ModuleProgress, TrainingLead,
)
from courses.progress import totals

User = get_user_model()
met = Force.objects.get(code="met")
lead, _ = User.objects.get_or_create(username="dashboard-lead", defaults={{"email": "{LEAD}"}})
lead.set_password("{DEMO_PASSWORD}")
lead.save()
EmailAddress.objects.update_or_create(
    user=lead, email="{LEAD}", defaults={{"verified": True, "primary": True}}
)
TrainingLead.objects.get_or_create(user=lead)[0].forces.add(met)
lead.groups.add(Group.objects.get(name=TRAINING_LEADS_GROUP))
module = ModulePage.objects.live().order_by("path").first()
now = timezone.now()
for name, status, extra in [
    ("Dana", 2, {{"completed_at": now, "lessons_completed": 3, "started_at": now}}),
    ("Eli", 0, {{"required": True, "enrolled_at": now - datetime.timedelta(days=40),
                "due_at": now - datetime.timedelta(days=10)}}),
]:
    user, made = User.objects.get_or_create(
        username=f"dash-{{name.lower()}}",
        defaults={{"email": f"dash-{{name.lower()}}@met.demo.example", "first_name": name,
                  "last_name": "Dashboard"}},
    )
    if made:
        LearnerProfile.objects.create(user=user, force=met, team="Dashboard team")
        row = ModuleProgress.objects.create(
            learner=user, module=module, force=met, status=status, lessons_total=3, **extra
        )
        totals.totals_update([(None, totals.RowState.of(row))])
"""


@pytest.fixture(scope="module")
def lead(app_server):
    app_server.manage("shell", "-c", SETUP)
    return LEAD


def lead_sign_in(page, email: str) -> None:
    page.goto("/admin/force-dashboard/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/force-dashboard/met/")
    # Once more without Wagtail's "you are signed in" banner, whose fade-in axe may catch
    # half-way (its contrast is Wagtail's, not this screen's).
    page.goto("/admin/force-dashboard/met/")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_a_lead_reads_the_dashboard_and_follows_a_figure(context_factory, lead, width):
    page = context_factory(width).new_page()
    lead_sign_in(page, lead)
    page.get_by_role("heading", name="Metropolitan Police Service: training dashboard").wait_for()
    # Both charts are images with a text alternative, and their figures are in tables.
    charts = page.get_by_role("img")
    assert page.locator("svg[role=img]").count() == 2
    assert "Module completions by month" in (charts.first.inner_html() + page.content())
    page.get_by_role("table", name="Completion per module, with the figures behind the chart")
    assert_accessible(page, f"force dashboard at {width}")
    screenshot(page, f"force-dashboard-{width}")
    assert page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0

    overdue = page.get_by_role("link", name=re.compile(r"^\d+ overdue modules$"))
    count = int(overdue.inner_text().split()[0])
    assert count >= 1
    overdue.click()
    page.wait_for_url("**/admin/force-dashboard/met/progress/?overdue=yes")
    rows = page.locator("main table tbody tr")
    rows.first.wait_for()
    assert rows.count() == count
    assert "Eli Dashboard" in page.inner_text("main")
    assert "Dana Dashboard" not in page.inner_text("main")
    assert_accessible(page, f"overdue modules list at {width}")
    screenshot(page, f"force-dashboard-list-{width}")


def test_a_lead_downloads_a_list_as_csv(context_factory, lead):
    page = context_factory("desktop").new_page()
    lead_sign_in(page, lead)
    page.goto("/admin/force-dashboard/met/learners/?role=response-officer")
    response = page.request.get("/admin/force-dashboard/met/learners/?export=csv")
    assert response.status == 200 and response.headers["content-type"].startswith("text/csv")
    body = response.text()
    assert body.splitlines()[0] == "first_name,last_name,email,role,team,staff_number"
    assert "dash-dana@met.demo.example" in body
    assert "@gmp.demo.example" not in body
