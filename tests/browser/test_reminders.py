"""Reminder emails in a real browser: the job emails a learner whose required module is due
soon; the link in that email asks before it stops "due soon" reminders (link scanners only
GET), then says how to turn them back on; the signed-in learner's own choice on My learning.
Each page at desktop and 360px widths, with axe."""

import email
import email.policy
import re
from urllib.parse import urlparse

import pytest

from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll, sign_in

DUE_SOON = "learner5@met.demo.example"  # seed_demo: a supervisor, first module due in 4 days


def audit(page, name: str, width: str) -> None:
    assert_accessible(page, f"{name} at {width}")
    assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width}"
    screenshot(page, f"{name}-{width}")


def reminder_body(mails: list[str], address: str) -> str:
    for text in mails:
        # The file backend separates messages in one file with a line of 79 dashes.
        for raw in re.split(r"^-{79}$", text, flags=re.MULTILINE):
            message = email.message_from_string(raw.strip(), policy=email.policy.default)
            if message["To"] == address and "due soon" in message["Subject"]:
                return message.get_body(preferencelist=("plain",)).get_content()
    raise AssertionError(f"No reminder was sent to {address}")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_the_link_in_a_reminder_asks_then_stops_and_can_undo(context_factory, app_server, width):
    out = app_server.manage("send_reminders")  # the second run (mobile) sends nothing again
    assert "Learner reminders:" in out and "Lead digests:" in out
    body = reminder_body(app_server.mails(), DUE_SOON)
    assert "due by" in body and "in 4 days" in body
    link = re.search(r"https?://\S+/reminders/stop/\S+/", body).group(0)

    page = context_factory(width).new_page()
    page.goto(urlparse(link).path)
    page.get_by_role("heading", name='Stop "due soon" reminders?', level=1).wait_for()
    audit(page, "reminders-stop", width)

    page.get_by_role("button", name='Stop "due soon" reminders').click()
    page.get_by_role("heading", name='"Due soon" reminders stopped', level=1).wait_for()
    assert page.get_by_text("we will still let you know").is_visible()
    audit(page, "reminders-stopped", width)

    page.get_by_role("button", name='Turn "due soon" reminders back on').click()
    page.get_by_role("heading", name='"Due soon" reminders turned on', level=1).wait_for()


def test_a_changed_link_is_a_clear_page(page):
    response = page.goto("/en-gb/reminders/stop/not-a-real-link/")
    assert response.status == 400
    page.get_by_role("heading", name="This link does not work", level=1).wait_for()
    assert_accessible(page, "reminders bad link")


@pytest.mark.parametrize("width", ["desktop", "mobile"])
def test_a_learner_chooses_reminders_from_my_learning(context_factory, width):
    page = context_factory(width).new_page()
    sign_in(page, "learner4@gmp.demo.example")
    page.get_by_role("link", name="Reminder emails").click()
    page.get_by_role("heading", name="Reminder emails", level=1).wait_for()
    audit(page, "reminder-settings", width)

    page.get_by_role("button", name='Stop "due soon" reminders').click()
    page.get_by_text('You will no longer get "due soon" reminders.').wait_for()
    page.get_by_role("button", name='Turn "due soon" reminders on').click()
    page.get_by_text('You will get "due soon" reminders again.').wait_for()
