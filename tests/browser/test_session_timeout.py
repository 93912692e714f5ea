"""A session that ends under an officer (issue 25, point 1), in a real browser: what they typed or
chose survives signing in again, they land back on the lesson, the sign-in page says why, and a
warning comes before the session ends, whose "Stay signed in" really extends it on the server.
"""

import re
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.browser.conftest import AppServer, assert_accessible, screenshot, serve
from tests.browser.journey import (
    DEMO_MODULE,
    _check_of,
    _reflections_of,
    fill_sign_in,
    no_horizontal_scroll,
    sign_in,
)

SHORT_IDLE = 30  # seconds: session.js warns half of it (15 s) before the end
TITLE, BLOCKS = next(
    (title, blocks)
    for title, blocks in DEMO_MODULE["lessons"]
    if _check_of(blocks) and _reflections_of(blocks)
)
CHECK = _check_of(BLOCKS)
PROMPT = _reflections_of(BLOCKS)[0]
TYPED = "I will ask my team how they would respond to a call like this one."


@pytest.fixture(scope="module")
def short_session(app_server, tmp_path_factory):
    """A second server on the same database whose sessions end after SHORT_IDLE seconds idle.
    Activity refreshes a session only once a minute (the default), so in this test only "Stay
    signed in" can move the end on: it is proved to reach the server, not just the page."""
    env = {**app_server.env, "SESSION_IDLE_SECONDS": str(SHORT_IDLE)}
    with serve(env, tmp_path_factory.mktemp("short-session"), workers=1) as url:
        yield AppServer(url=url, env=env, mail_dir=app_server.mail_dir)


def open_lesson(page) -> str:
    """The demo lesson with both a knowledge check and a reflection prompt; returns its path."""
    page.goto("/en-gb/da-matters/")
    page.get_by_role("link", name=DEMO_MODULE["title"]).first.click()
    page.get_by_role("link", name=TITLE).first.click()
    page.get_by_role("heading", name=TITLE, level=1).wait_for()
    return urlsplit(page.url).path


def right_options() -> list[str]:
    return [option["text"] for option in CHECK["options"] if option["is_correct"]]


def type_and_choose(page) -> None:
    page.get_by_role("textbox", name=PROMPT).fill(TYPED)
    check = page.locator("section.knowledge-check")
    for text in right_options():
        check.get_by_label(text, exact=True).check()


def end_the_session(context) -> None:
    """The server's session is gone, as after the idle timeout; the CSRF cookie stays."""
    kept = [c for c in context.cookies() if c["name"] != "sessionid"]
    context.clear_cookies()
    context.add_cookies(kept)


def sign_in_here(page, email_address: str) -> None:
    fill_sign_in(page, email_address)
    page.get_by_role("button", name="Sign in").click()


def follow_sign_in_again(page) -> None:
    dialog = page.get_by_role("dialog", name="You have been signed out")
    dialog.get_by_role("link", name="Sign in again").click()


def next_of(url: str) -> str:
    return parse_qs(urlsplit(url).query)["next"][0]


@pytest.mark.parametrize(
    ("button", "width", "email_address"),
    [
        ("Save my reflection", "desktop", "learner1@gmp.demo.example"),
        ("Check my answer", "mobile", "learner2@gmp.demo.example"),
    ],
)
def test_work_survives_a_session_that_ended(context_factory, button, width, email_address):
    page = context_factory(width).new_page()
    sign_in(page, email_address)
    lesson_path = open_lesson(page)
    type_and_choose(page)
    end_the_session(page.context)

    page.get_by_role("button", name=button).click()
    if button == "Save my reflection":
        # reflections.js saves in the background: told the session ended, the page says so
        # and offers sign-in, rather than leaving it.
        follow_sign_in_again(page)

    page.wait_for_url("**/accounts/login/**")
    assert next_of(page.url) == lesson_path  # the lesson, never the POST-only form address
    status = page.get_by_role("status").filter(has_text="You are signed out")
    assert "You are signed out, so we could not save your last change." in status.inner_text()
    assert "after 1 hour without any activity" in status.inner_text()
    kept = page.locator("[data-session-kept]")
    assert kept.is_visible()
    assert "We have kept what you typed or chose" in kept.inner_text()
    assert_accessible(page, f"sign-in after the session ended at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"session-ended-sign-in-{width}")

    sign_in_here(page, email_address)

    page.wait_for_url(f"**{lesson_path}")
    box = page.get_by_role("textbox", name=PROMPT)
    assert box.input_value() == TYPED
    check = page.locator("section.knowledge-check")
    for option in CHECK["options"]:
        assert check.get_by_label(option["text"], exact=True).is_checked() == option["is_correct"]
    note = page.locator(".reflection .session-kept")
    assert "We kept what you typed before you were signed out. It is not saved yet" in (
        note.inner_text()
    )
    assert "We kept what you chose" in page.locator(".knowledge-check .session-kept").inner_text()
    # Focus is where they were: in the form whose button they pressed.
    sent = page.get_by_role("button", name=button).locator("xpath=ancestor::form")
    assert sent.evaluate("form => form.contains(document.activeElement)")
    assert note.get_attribute("id") in box.get_attribute("aria-describedby")
    assert_accessible(page, f"lesson with restored work at {width}")
    assert no_horizontal_scroll(page)
    screenshot(page, f"session-restored-{width}")

    page.get_by_role("button", name=button).click()
    if button == "Save my reflection":
        page.get_by_text("Your reflection is saved. Only you can see it.").wait_for()
        assert page.get_by_role("textbox", name=PROMPT).input_value() == TYPED
    else:
        page.locator("section.knowledge-check").get_by_text("Correct.").wait_for()
    page.reload()
    assert page.locator(".session-kept").count() == 0  # restored once, then forgotten
    assert page.evaluate("window.sessionStorage.length") == 0


def test_work_is_never_restored_to_another_account(context_factory):
    page = context_factory("desktop").new_page()
    sign_in(page, "learner3@gmp.demo.example")
    lesson_path = open_lesson(page)
    type_and_choose(page)
    end_the_session(page.context)
    page.get_by_role("button", name="Save my reflection").click()
    follow_sign_in_again(page)
    page.wait_for_url("**/accounts/login/**")

    sign_in_here(page, "learner4@gmp.demo.example")  # a colleague, on the same device and tab

    page.wait_for_url(f"**{lesson_path}")
    assert page.get_by_role("textbox", name=PROMPT).input_value() != TYPED
    assert page.locator(".session-kept").count() == 0
    assert page.evaluate("window.sessionStorage.length") == 0


def test_without_javascript_the_officer_lands_back_on_the_lesson(context_factory):
    page = context_factory("desktop", javascript=False).new_page()
    sign_in(page, "learner5@gmp.demo.example")
    lesson_path = open_lesson(page)
    page.get_by_role("textbox", name=PROMPT).fill(TYPED)
    end_the_session(page.context)

    page.get_by_role("button", name="Save my reflection").click()

    page.wait_for_url("**/accounts/login/**")
    assert "You are signed out, so we could not save your last change." in page.inner_text("main")
    assert not page.locator("[data-session-kept]").is_visible()  # nothing was kept without JS
    sign_in_here(page, "learner5@gmp.demo.example")
    page.wait_for_url(f"**{lesson_path}")
    assert page.get_by_role("heading", name=TITLE, level=1).is_visible()  # not a 405


def test_progress_api_saying_the_session_ended_offers_sign_in_and_keeps_work(context_factory):
    page = context_factory("desktop").new_page()
    sign_in(page, "learner6@gmp.demo.example")
    lesson_path = open_lesson(page)
    page.get_by_role("textbox", name=PROMPT).fill(TYPED)

    # progress.js's side of the contract, when the progress API answers 401 or 403.
    page.evaluate("window.dispatchEvent(new CustomEvent('session:expired'))")

    dialog = page.get_by_role("dialog", name="You have been signed out")
    dialog.wait_for()
    link = dialog.get_by_role("link", name="Sign in again")
    assert page.evaluate("document.activeElement.textContent") == "Sign in again"
    assert next_of(link.get_attribute("href")) == lesson_path
    assert_accessible(page, "session ended dialog")
    screenshot(page, "session-ended-dialog-desktop")
    kept = page.evaluate("JSON.parse(sessionStorage.getItem('damatters.session.kept'))")
    assert kept["interrupted"] is True
    assert kept["forms"][0]["fields"]["text"] == TYPED


def test_a_warning_before_the_end_and_stay_signed_in_extends_the_session(
    context_factory, short_session
):
    page = context_factory("mobile", base_url=short_session.url).new_page()
    sign_in(page, "learner1@met.demo.example")
    lesson_path = open_lesson(page)
    page.get_by_role("textbox", name=PROMPT).fill(TYPED)

    warning = page.get_by_role("dialog", name="You are about to be signed out")
    warning.wait_for(timeout=SHORT_IDLE * 1000)
    assert re.search(
        r"We will sign you out in \d+ seconds? if you do not do anything", (warning.inner_text())
    )
    stay = warning.get_by_role("button", name="Stay signed in")
    assert page.evaluate("document.activeElement.textContent") == "Stay signed in"
    assert warning.get_by_role("button", name="Sign out").is_visible()
    assert_accessible(page, "timeout warning at mobile")
    assert no_horizontal_scroll(page)
    screenshot(page, "session-timeout-warning-mobile")

    with page.expect_response("**/session/stay-signed-in/") as answered:
        stay.click()
    assert answered.value.status == 200
    assert not warning.is_visible()
    ends_in = answered.value.json()["ends_in"]
    assert SHORT_IDLE - 2 <= ends_in <= SHORT_IDLE

    # Past the end the session had before: only "Stay signed in" can have moved it on, since
    # activity refreshes it once a minute at most.
    # The warning came 15 s before the old end, so 17 s after pressing "Stay signed in" the
    # old end has passed and the new one (SHORT_IDLE s after pressing it) has not.
    page.wait_for_timeout(17_000)
    assert page.request.get("/api/v1/me/progress/").status == 200

    # Nobody answers the next warning: signed out, told why, and what was typed kept.
    page.wait_for_url("**/accounts/login/**", timeout=(SHORT_IDLE + 10) * 1000)
    assert next_of(page.url) == lesson_path
    assert (
        f"We signed you out because you had not done anything for {SHORT_IDLE} seconds."
        in page.get_by_role("status").filter(has_text="We signed you out").inner_text()
    )
    assert page.request.get("/api/v1/me/progress/").status in (401, 403)
    assert page.locator("[data-session-kept]").is_visible()
    sign_in_here(page, "learner1@met.demo.example")
    page.wait_for_url(f"**{lesson_path}")
    assert page.get_by_role("textbox", name=PROMPT).input_value() == TYPED


def test_sign_out_in_the_warning_signs_out_and_leaves_nothing_in_the_tab(
    context_factory, short_session
):
    page = context_factory("desktop", base_url=short_session.url).new_page()
    sign_in(page, "learner2@met.demo.example")
    open_lesson(page)
    # Work kept from another lesson, not yet put back (as after a sign-in that went elsewhere).
    page.evaluate(
        """sessionStorage.setItem("damatters.session.kept", JSON.stringify({
            path: "/another-lesson/", user: document.body.dataset.sessionUser, at: Date.now(),
            interrupted: true, forms: [{key: "x|y", fields: {text: "Private words"}}]}))"""
    )
    warning = page.get_by_role("dialog", name="You are about to be signed out")
    warning.wait_for(timeout=SHORT_IDLE * 1000)
    warning.get_by_role("button", name="Sign out").click()

    page.get_by_role("link", name="Sign in").first.wait_for()
    assert page.request.get("/api/v1/me/progress/").status in (401, 403)
    assert page.evaluate("window.sessionStorage.length") == 0  # signed out on purpose
