"""Champions in a real browser: a trained learner reaches "Volunteer as a Champion" on My
learning with the keyboard alone and volunteers; the Met's lead sees them on the Champions
list. axe: no serious or critical violation on My learning (invitation and status) and on the
lead's list."""

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.journey import sign_in

LEARNER = "champion-learner@met.demo.example"
LEAD = "champions-lead@met.demo.example"

# Run once against the app server's database: a Met response officer of this test's own who has
# completed every module of their role's pathway, and a Met lead.
SETUP = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.utils import timezone
from courses.models import (
    TRAINING_LEADS_GROUP, Force, LearnerProfile, ModuleProgress, PathwayStep, TrainingLead,
)
from courses.progress import totals

User = get_user_model()
met = Force.objects.get(code="met")


def account(username, email, **names):
    user, _ = User.objects.get_or_create(username=username, defaults={{"email": email, **names}})
    user.set_password("{DEMO_PASSWORD}")
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={{"verified": True, "primary": True}}
    )
    return user


learner = account("champion-learner", "{LEARNER}", first_name="Robin", last_name="Champion")
if not LearnerProfile.objects.filter(user=learner).exists():
    LearnerProfile.objects.create(
        user=learner, force=met, role="response-officer", team="Champions test team"
    )
    now = timezone.now()
    steps = PathwayStep.objects.filter(pathway__role="response-officer", module__live=True)
    for step in steps.select_related("module"):
        row = ModuleProgress.objects.create(
            learner=learner, module=step.module, force=met, status=2, lessons_total=1,
            lessons_completed=1, started_at=now, completed_at=now,
        )
        totals.totals_update([(None, totals.RowState.of(row))])
lead = account("champions-lead", "{LEAD}")
TrainingLead.objects.get_or_create(user=lead)[0].forces.add(met)
lead.groups.add(Group.objects.get(name=TRAINING_LEADS_GROUP))
"""


@pytest.fixture(scope="module")
def people(app_server):
    app_server.manage("shell", "-c", SETUP)


def tab_to(page, name: str, *, limit: int = 80) -> None:
    """Press Tab until the focused element's text is `name` (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.textContent.trim()") == name:
            return
    raise AssertionError(f"Tab never reached {name!r}")


def test_a_trained_learner_volunteers_with_the_keyboard_and_the_lead_lists_them(page, people):
    sign_in(page, LEARNER)
    page.get_by_role("heading", name="Become a DA Matters Champion").wait_for()
    assert page.get_by_text("not a counsellor or an investigator").is_visible()
    assert_accessible(page, "My learning with the Champion invitation")
    screenshot(page, "champions-invitation")

    tab_to(page, "Volunteer as a Champion")
    page.keyboard.press("Enter")
    page.get_by_text("Thank you for volunteering").wait_for()
    page.get_by_text("You are a DA Matters Champion since").wait_for()
    assert page.get_by_role("link", name="Step down as a Champion").is_visible()
    assert_accessible(page, "My learning as a Champion")
    screenshot(page, "champions-status")

    lead_page = page.context.browser.new_context(base_url=page.url.split("/en-gb/my-learning")[0])
    admin = lead_page.new_page()
    admin.goto("/admin/force-dashboard/met/champions/")
    admin.get_by_label("Email").fill(LEAD)
    admin.get_by_label("Password").fill(DEMO_PASSWORD)
    admin.get_by_role("button", name="Sign in").click()
    admin.wait_for_url("**/admin/force-dashboard/met/champions/")
    admin.goto("/admin/force-dashboard/met/champions/")  # without the "signed in" banner
    admin.get_by_role("link", name="Robin Champion").wait_for()
    assert admin.get_by_role("cell", name="Champions test team").first.is_visible()
    assert_accessible(admin, "the lead's Champions list")
    screenshot(admin, "champions-list")
    lead_page.close()
