"""Required modules in a real browser: a learner whose role's pathway requires two modules sees
them first on My learning, one overdue and one with its due date, in words; the module page
says when it is due. Accessible (axe) at desktop and 360px widths. An editor reaches the
Pathways screen in the admin."""

import datetime
import json
from zoneinfo import ZoneInfo

import pytest

from courses.demo import MODULES
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll, sign_in
from tests.browser.test_editors import staff_sign_in

LEARNER = "learner6@met.demo.example"  # a senior leader in the demo; no other test uses them
UK = ZoneInfo("Europe/London")

# Run in the app's own database (the app is another process): the learner's role's pathway
# made exactly the first two demo modules, the learner enrolled, then their due dates set.
SETUP = """
import datetime, json
from courses import services
from courses.models import LearnerProfile, ModulePage, ModuleProgress, Pathway, PathwayStep
args = json.loads({args!r})
profile = LearnerProfile.objects.get(user__email=args["email"])
pathway, _ = Pathway.objects.get_or_create(role=profile.role)
modules = [ModulePage.objects.get(title=title) for title in args["titles"]]
pathway.steps.exclude(module__in=modules).delete()  # exactly these two, whatever the demo set
for order, module in enumerate(modules):
    PathwayStep.objects.update_or_create(
        pathway=pathway, module=module, defaults={{"sort_order": order}}
    )
services.enrolments_sync(profiles=LearnerProfile.objects.filter(pk=profile.pk))
for module, due in zip(modules, args["due"]):
    ModuleProgress.objects.filter(learner_id=profile.user_id, module=module).update(
        due_at=datetime.datetime.fromisoformat(due)
    )
print(json.dumps([module.get_url() for module in modules]))
"""


def uk_date(moment: datetime.datetime) -> str:
    day = moment.astimezone(UK)
    return f"{day.day} {day:%B %Y}"


@pytest.fixture(scope="module")
def due_dates(app_server):
    now = datetime.datetime.now(datetime.UTC).replace(hour=12, minute=0, second=0, microsecond=0)
    overdue, upcoming = now - datetime.timedelta(days=5), now + datetime.timedelta(days=40)
    titles = [MODULES[0]["title"], MODULES[1]["title"]]
    args = json.dumps(
        {"email": LEARNER, "titles": titles, "due": [overdue.isoformat(), upcoming.isoformat()]}
    )
    output = app_server.manage("shell", "-c", SETUP.format(args=args))
    urls = json.loads(output.strip().splitlines()[-1])
    return {"titles": titles, "urls": urls, "overdue": overdue, "upcoming": upcoming}


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_a_learner_sees_required_modules_first_with_due_dates(context_factory, due_dates, width):
    page = context_factory(width).new_page()
    sign_in(page, LEARNER)

    required = page.locator(
        "section", has=page.get_by_role("heading", name="Required for your role")
    )
    assert required.is_visible()
    cards = required.locator(".module-card")
    assert cards.count() == 2
    first, second = due_dates["titles"]
    assert first in cards.nth(0).inner_text() and second in cards.nth(1).inner_text()
    assert f"Overdue: was due {uk_date(due_dates['overdue'])}" in cards.nth(0).inner_text()
    assert f"Due {uk_date(due_dates['upcoming'])}" in cards.nth(1).inner_text()
    other = page.locator("section", has=page.get_by_role("heading", name="Other modules"))
    assert other.locator(".module-card").count() >= 1
    assert "Due " not in other.inner_text()
    assert_accessible(page, f"my learning with required modules at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"my-learning-required-{width}")


def test_the_module_page_says_when_it_is_due(context_factory, due_dates):
    page = context_factory("mobile").new_page()
    sign_in(page, LEARNER)
    page.goto(due_dates["urls"][1])
    page.get_by_role("heading", name=due_dates["titles"][1], level=1).wait_for()

    assert f"Due {uk_date(due_dates['upcoming'])}" in page.inner_text("main")
    assert_accessible(page, "module page with a due date")


def test_an_editor_opens_the_pathways_screen(context_factory, due_dates):
    page = context_factory("desktop").new_page()
    staff_sign_in(page, "/admin/snippets/courses/pathway/")

    assert page.get_by_role("heading", name="Pathways").first.is_visible()
    assert "Senior leader" in page.inner_text("main")
    page.get_by_role("link", name="Senior leader").first.click()
    page.get_by_text("Required modules").first.wait_for()
    screenshot(page, "admin-pathway-edit")
