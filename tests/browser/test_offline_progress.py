"""Progress on a poor connection, and reflections that are never lost, in a real browser.

"Mark complete" goes into a queue kept on the device (static/js/progress.js): offline, the page
says so and records nothing; back online, the queue is sent as one batch with the events'
original ids and device times, and only then does the page say the lesson is done. A session
that ended keeps the queue. Reflections (static/js/reflections.js) are saved in place with the
confirmation beside the box, saved with "Mark complete", and leaving with unsaved text asks first.

Each test makes its own learner, so that no other test's progress can change what it sees.
"""

import json
import re
import uuid
from datetime import UTC, datetime, timedelta

from playwright.sync_api import expect

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.journey import sign_in

LESSON = "/en-gb/da-matters/leading-the-change/lesson-{}/"  # lesson 1 has a reflection prompt
MARK_COMPLETE = "Mark complete and continue"
OFFLINE = "Saved on this device; it will be sent when you're back online."
SIGNED_OUT = "Saved on this device; it will be sent when you sign in again."
SAVED = "Your reflection is saved. Only you can see it."
PROMPT = re.compile("Think of a time a colleague's words")


def new_learner(server) -> str:
    """A Greater Manchester learner of this test's own, made as seed_demo makes them, who has
    skipped the attitude survey offered before a first lesson."""
    email = f"offline-{uuid.uuid4().hex[:8]}@gmp.demo.example"
    server.manage(
        "shell",
        "-c",
        "from allauth.account.models import EmailAddress\n"
        "from django.contrib.auth import get_user_model\n"
        "from courses.models import Force, LearnerProfile, LearnerRole\n"
        f"user = get_user_model().objects.create_user({email!r}, {email!r}, {DEMO_PASSWORD!r},"
        " first_name='Sam', last_name='Offline')\n"
        f"EmailAddress.objects.create(user=user, email={email!r}, verified=True, primary=True)\n"
        "LearnerProfile.objects.create(user=user, force=Force.objects.get(code='gmp'),"
        " role=LearnerRole.values[0])\n"
        "from courses import services\n"
        "from courses.models import AttitudeSurvey\n"
        "for survey in AttitudeSurvey.objects.filter(live=True):\n"
        "    services.survey_decline(learner=user, survey=survey, stage='pre')\n",
    )
    return email


def query(server, code: str):
    """Run Python in `manage.py shell` on the server's database; it sets `answer` (JSON)."""
    out = server.manage(
        "shell", "-v", "0", "-c", f"{code}\nimport json; print('=>', json.dumps(answer))"
    )
    return json.loads(out.split("=> ", 1)[1])


def recorded(server, event_id: str) -> list[str]:
    """The device time (occurred_at, ISO 8601) of each ledger row with this id: [] or one."""
    return query(
        server,
        "from courses.models import ProgressEvent\n"
        "answer = [e.occurred_at.isoformat() for e in "
        f"ProgressEvent.objects.filter(id={event_id!r})]",
    )


def reflection_of(server, email: str) -> list[str]:
    return query(
        server,
        "from courses.models import Reflection\n"
        f"answer = [r.text for r in Reflection.objects.filter(learner__email={email!r})]",
    )


def progress_posts(context) -> list:
    """Bodies of the progress API posts the server answered, in order."""
    bodies = []

    def note(request):
        if request.method == "POST" and request.url.endswith("/api/v1/progress/"):
            bodies.append(request.post_data_json)

    context.on("requestfinished", note)
    return bodies


def event_id(page) -> str:
    return page.locator("input[name=event_id]").input_value()


def status(page):
    return page.locator("[data-progress-status]")


def test_offline_completion_is_kept_on_the_device_and_sent_once_back_online(
    context_factory, app_server
):
    email = new_learner(app_server)
    context = context_factory("mobile")
    posts = progress_posts(context)
    page = context.new_page()
    sign_in(page, email)
    page.goto(LESSON.format(1))
    sent_id = event_id(page)

    context.set_offline(True)
    pressed = datetime.now(UTC)
    page.get_by_role("button", name=MARK_COMPLETE).click()

    expect(status(page)).to_have_text(OFFLINE)
    assert status(page).get_attribute("role") == "status"
    # Not "complete": the button stays and no next step is offered until the server says so.
    assert page.get_by_role("button", name=MARK_COMPLETE).is_visible()
    assert page.get_by_role("link", name="Continue to the next lesson").count() == 0
    assert recorded(app_server, sent_id) == []
    assert_accessible(page, "lesson with a completion saved on the device")
    screenshot(page, "lesson-saved-on-device-mobile")

    context.set_offline(False)  # the browser's "online" event sends the queue

    page.get_by_role("link", name="Continue to the next lesson").wait_for()
    expect(status(page)).not_to_have_text(re.compile("on this device"))
    [occurred_at] = recorded(app_server, sent_id)
    # The device's time when pressed, not the time the connection came back.
    assert abs((datetime.fromisoformat(occurred_at) - pressed).total_seconds()) < 5
    assert [[e["id"] for e in body] for body in posts] == [[sent_id]]
    # The queue is gone (session.js's shared timer may keep its own key).
    assert [k for k in page.evaluate("Object.keys(localStorage)") if "queue" in k] == []

    page.reload()  # a page load sends the queue again: it is empty, nothing is sent twice
    page.get_by_role("heading", level=1).wait_for()
    assert len(recorded(app_server, sent_id)) == 1
    assert len(posts) == 1


def test_two_events_queued_offline_are_sent_as_one_batch_with_their_own_ids(
    context_factory, app_server
):
    email = new_learner(app_server)
    context = context_factory("desktop")
    posts = progress_posts(context)
    first = context.new_page()
    sign_in(first, email)
    first.goto(LESSON.format(1))
    second = context.new_page()
    second.goto(LESSON.format(2))
    ids = [event_id(first), event_id(second)]

    context.set_offline(True)
    for page in (first, second):
        page.get_by_role("button", name=MARK_COMPLETE).click()
        expect(status(page)).to_have_text(OFFLINE)
    first.close()  # the queue outlives the tab that made it
    context.set_offline(False)

    second.get_by_role("link", name="Continue to the next lesson").wait_for()
    assert [[e["id"] for e in body] for body in posts] == [ids]
    [batch] = posts
    assert all(e["verb"] == "completed" and e["occurred_at"] for e in batch)
    assert [len(recorded(app_server, i)) for i in ids] == [1, 1]


def test_a_session_that_ended_keeps_the_queue_until_the_learner_signs_in_again(
    context_factory, app_server
):
    email = new_learner(app_server)
    context = context_factory("desktop")
    page = context.new_page()
    sign_in(page, email)
    page.goto(LESSON.format(1))
    sent_id = event_id(page)
    page.evaluate(
        "window.expired = 0;"
        "window.addEventListener('session:expired', () => { window.expired += 1; })"
    )

    context.clear_cookies()  # the session has ended (as after an hour idle)
    page.get_by_role("button", name=MARK_COMPLETE).click()

    expect(status(page)).to_have_text(SIGNED_OUT)
    assert page.evaluate("window.expired") == 1
    assert recorded(app_server, sent_id) == []

    sign_in(page, email)
    page.goto(LESSON.format(1))  # the page load sends what was kept, with its first id
    page.get_by_role("link", name="Continue to the next lesson").wait_for()
    assert len(recorded(app_server, sent_id)) == 1


def test_a_reflection_typed_then_mark_complete_is_saved(context_factory, app_server):
    email = new_learner(app_server)
    page = context_factory("mobile").new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    sign_in(page, email)
    page.goto(LESSON.format(1))
    text = "Typed, never saved with its own button, then the lesson was marked complete."
    page.get_by_role("textbox", name=PROMPT).fill(text)

    page.get_by_role("button", name=MARK_COMPLETE).click()

    page.get_by_role("link", name="Continue to the next lesson").wait_for()
    expect(page.locator("[data-reflection-status]")).to_have_text(SAVED)
    assert reflection_of(app_server, email) == [text]
    page.get_by_role("link", name="Continue to the next lesson").click()
    page.wait_for_url(f"**{LESSON.format(2)}")
    assert dialogs == []  # saved, so leaving asked nothing


def test_leaving_with_an_unsaved_reflection_asks_first(context_factory, app_server):
    email = new_learner(app_server)
    page = context_factory("desktop").new_page()
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    sign_in(page, email)
    page.goto(LESSON.format(1))
    box = page.get_by_role("textbox", name=PROMPT)
    box.click()
    box.press_sequentially("Half a thought")

    with page.expect_event("dialog"):
        page.get_by_role("navigation", name="Lessons").get_by_role(
            "link", name="My learning"
        ).click()

    assert dialogs == ["beforeunload"]
    assert page.url.endswith(LESSON.format(1))  # stayed, with the text
    assert box.input_value() == "Half a thought"

    page.get_by_role("button", name="Save my reflection").click()
    expect(page.locator("[data-reflection-status]")).to_have_text(SAVED)
    page.get_by_role("navigation", name="Lessons").get_by_role("link", name="My learning").click()
    page.wait_for_url("**/my-learning/")
    assert dialogs == ["beforeunload"]


def test_the_reflection_confirmation_is_beside_the_box_and_announced(context_factory, app_server):
    email = new_learner(app_server)
    page = context_factory("mobile").new_page()
    sign_in(page, email)
    page.goto(LESSON.format(1))
    page.get_by_role("textbox", name=PROMPT).fill("A reflection saved in place.")
    save = page.get_by_role("button", name="Save my reflection")

    save.click()

    beside = page.locator("section.reflection [data-reflection-status]")
    expect(beside).to_have_text(SAVED)
    assert beside.get_attribute("role") == "status"
    assert page.evaluate("document.activeElement.textContent") == "Save my reflection"
    # Playwright retries until the layout settles (a slow machine may still be scrolling).
    expect(beside).to_be_in_viewport(ratio=1)
    expect(save).to_be_in_viewport(ratio=1)
    assert page.locator(".messages").count() == 0  # not off-screen at the top
    assert reflection_of(app_server, email) == ["A reflection saved in place."]
    assert_accessible(page, "lesson with a reflection just saved")
    screenshot(page, "reflection-saved-mobile")


def test_without_javascript_the_reflection_confirmation_is_beside_the_box(
    context_factory, app_server
):
    email = new_learner(app_server)
    page = context_factory("mobile", javascript=False).new_page()
    sign_in(page, email)
    page.goto(LESSON.format(1))
    page.get_by_role("textbox", name=PROMPT).fill("A reflection saved without JavaScript.")

    page.get_by_role("button", name="Save my reflection").click()

    page.wait_for_url(re.compile(r"#reflection-"))
    beside = page.locator("section.reflection [data-reflection-status]")
    expect(beside).to_have_text(SAVED)
    # The fragment brought the box, and its confirmation, into view.
    expect(beside).to_be_in_viewport(ratio=1)
    assert page.locator(".messages").count() == 0
    assert "marking the lesson complete does not save it" in page.inner_text("form.lesson-complete")


def test_a_device_time_the_server_refuses_is_dropped_and_the_event_recorded_now(
    context_factory, app_server
):
    """A device clock an hour fast: the server refuses the time (400 on occurred_at), so the
    queue sends the same event without it, and it is recorded at the server's time."""
    email = new_learner(app_server)
    context = context_factory("desktop")
    posts = progress_posts(context)
    page = context.new_page()
    sign_in(page, email)
    page.goto(LESSON.format(1))
    sent_id = event_id(page)
    page.clock.set_fixed_time(datetime.now(UTC) + timedelta(hours=1))

    page.get_by_role("button", name=MARK_COMPLETE).click()

    page.get_by_role("link", name="Continue to the next lesson").wait_for()
    refused, resent = posts
    assert [e["id"] for e in refused] == [e["id"] for e in resent] == [sent_id]
    assert "occurred_at" in refused[0] and "occurred_at" not in resent[0]
    [occurred_at] = recorded(app_server, sent_id)
    assert abs((datetime.fromisoformat(occurred_at) - datetime.now(UTC)).total_seconds()) < 60
