"""The attitude survey in a real browser: a new learner opening their first lesson is offered
the voluntary survey first, answers it with the keyboard only, and goes on to the lesson. The
survey pages have no serious or critical axe violations (each statement a fieldset with a
legend, every option labelled)."""

import json

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.journey import sign_in

LEARNER = "survey.keyboard@met.demo.example"  # made here: no progress anywhere yet

# Run in the app's own database: the demo survey published (idempotent) and a new learner.
SETUP = """
import json
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.utils import timezone
from courses.demo import evidence_c
from courses.models import Force, LearnerProfile, LessonPage, ModulePage, ProgrammePage
args = json.loads({args!r})
programme = ProgrammePage.objects.live().first()
evidence_c.seed(programme=programme, now=timezone.now())
user, created = get_user_model().objects.get_or_create(
    username=args["email"], defaults={{"email": args["email"], "first_name": "Kai"}}
)
user.set_password(args["password"])
user.save()
EmailAddress.objects.update_or_create(
    user=user, email=args["email"], defaults={{"verified": True, "primary": True}}
)
LearnerProfile.objects.get_or_create(
    user=user, defaults={{"force": Force.objects.get(code="met"), "role": "call-handler"}}
)
module = ModulePage.objects.live().child_of(programme).order_by("path").first()
lesson = LessonPage.objects.live().child_of(module).order_by("path").first()
print(json.dumps({{"lesson": lesson.get_url(), "title": lesson.title}}))
"""


@pytest.fixture(scope="module")
def first_lesson(app_server):
    args = json.dumps({"email": LEARNER, "password": DEMO_PASSWORD})
    output = app_server.manage("shell", "-c", SETUP.format(args=args))
    return json.loads(output.strip().splitlines()[-1])


def test_a_learner_takes_the_pre_survey_by_keyboard_before_their_first_lesson(
    context_factory, first_lesson
):
    page = context_factory("desktop").new_page()
    sign_in(page, LEARNER)
    page.goto(first_lesson["lesson"])
    page.get_by_role("heading", name="Before you start: a short, voluntary survey").wait_for()
    assert page.get_by_role("button", name="Skip and start learning").is_visible()
    assert_accessible(page, "survey offer")
    screenshot(page, "survey-offer")

    answer = page.get_by_role("link", name="Answer the survey")
    answer.focus()
    page.keyboard.press("Enter")
    page.get_by_role("group").first.wait_for()  # a fieldset is a group named by its legend
    groups = page.get_by_role("group")
    assert groups.count() == 6
    assert_accessible(page, "survey form")
    screenshot(page, "survey-form")

    # Keyboard only: Tab into each statement's options, arrow keys choose within the group.
    first_option = groups.nth(0).get_by_role("radio").first
    first_option.focus()
    page.keyboard.press("Space")  # Strongly disagree... then move to "Agree"
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    assert groups.nth(0).get_by_role("radio", name="Agree", exact=True).is_checked()
    page.keyboard.press("Tab")  # to the next statement's options
    page.keyboard.press("Space")
    assert groups.nth(1).get_by_role("radio", name="Strongly disagree").is_checked()

    page.get_by_role("button", name="Send my answers").focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name="Thank you").wait_for()
    assert "All support services" in page.inner_text("main")
    assert_accessible(page, "survey thanks")

    start = page.get_by_role("link", name="Start learning")
    start.focus()
    page.keyboard.press("Enter")
    page.get_by_role("heading", name=first_lesson["title"], level=1).wait_for()
    # Answered: the next visit goes straight to the lesson.
    page.goto(first_lesson["lesson"])
    page.get_by_role("heading", name=first_lesson["title"], level=1).wait_for()
