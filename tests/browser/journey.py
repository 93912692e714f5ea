"""Steps of the learner journey, shared by the browser tests. They act only through the browser,
HTTP and the seed's own source (never the ORM: the app runs in another process).

What a lesson holds (reflection prompts, the knowledge check and its right answers) is read from
the demo programme that seed_demo loads, so the tests follow the content rather than copy it.
"""

import email
import email.policy
import json
import re
import urllib.error
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass

from courses.demo import KNOWLEDGE_CHECKS, MODULES
from tests.browser.conftest import DEMO_PASSWORD

DEMO_MODULE = MODULES[0]  # "Leading the change": notice, reflection, warning, check

OnPage = Callable[[str], None]


def _no_check(name: str) -> None:
    """Default per-page hook: nothing to check."""


def no_horizontal_scroll(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0


def fill_sign_in(page, email_address: str, password: str = DEMO_PASSWORD) -> None:
    """Fill the sign-in page, email first: with JavaScript the password field is there as soon
    as the address is typed; without it, "Continue" brings the page back with the field."""
    page.get_by_label("Email").fill(email_address)
    password_field = page.get_by_label("Password")
    if not password_field.is_visible():
        page.get_by_role("button", name="Continue").click()
    password_field.fill(password)


def sign_in(page, email_address: str, password: str = DEMO_PASSWORD) -> None:
    page.goto("/accounts/login/")
    fill_sign_in(page, email_address, password)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/my-learning/")


# --- Registration -------------------------------------------------------------------------------


def register(page, *, email_address: str, first_name: str, last_name: str) -> None:
    """Fill in and send the registration form; land on "Confirm your email address"."""
    page.goto("/accounts/signup/")
    page.get_by_label("First name").fill(first_name)
    page.get_by_label("Last name").fill(last_name)
    page.get_by_label("Force email address").fill(email_address)
    page.get_by_label("Your role").select_option(index=0)
    page.get_by_label("Password", exact=True).fill(DEMO_PASSWORD)
    page.get_by_label("Password (again)").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Register").click()
    page.get_by_role("heading", name="Confirm your email address").wait_for()


def confirmation_link(mails: list[str], email_address: str) -> str:
    """The confirm-email link in the message sent to this address (decoded, so soft line
    breaks of quoted-printable bodies cannot split it)."""
    for text in mails:
        # The file backend separates messages in one file with a line of 79 dashes.
        for raw in re.split(r"^-{79}$", text, flags=re.MULTILINE):
            message = email.message_from_string(raw.strip(), policy=email.policy.default)
            if message["To"] != email_address:
                continue
            body = message.get_body(preferencelist=("plain",)).get_content()
            found = re.search(r"https?://\S+/accounts/confirm-email/\S+/", body)
            assert found, f"No confirmation link in the email to {email_address}:\n{body}"
            return found.group(0)
    raise AssertionError(f"No email was sent to {email_address}")


def confirm_email(page, link: str) -> None:
    """Open the emailed link and confirm: a GET shows a button (scanners must not confirm)."""
    page.goto(link)
    page.get_by_role("button", name="Confirm my email address").click()
    page.wait_for_url("**/accounts/login/**")


# --- Taking a module ----------------------------------------------------------------------------


@dataclass
class Completed:
    module_url: str
    lesson_urls: list[str]
    certificate_url: str
    code: str


def _check_of(blocks) -> dict | None:
    for kind, _value in blocks:
        if kind.startswith("CHECK:"):
            return KNOWLEDGE_CHECKS[kind.split(":", 1)[1]]
    return None


def _reflections_of(blocks) -> list[str]:
    return [value["prompt"] for kind, value in blocks if kind == "reflection_prompt"]


def answer_check(page, check: dict, *, correct: bool) -> None:
    """Choose the right (or one wrong) set of options and submit; wait for the verdict."""
    section = page.locator("section.knowledge-check")
    for option in check["options"]:
        choose = option["is_correct"] if correct else option is _first_wrong(check)
        box = section.get_by_label(option["text"], exact=True)
        if choose:
            box.check()
        elif check["allow_multiple"]:
            box.uncheck()
    section.get_by_role("button", name=re.compile("Check my answer|Answer again")).click()
    verdict = "Correct." if correct else "Not quite. Read the feedback and try again."
    page.locator("section.knowledge-check").get_by_text(verdict).wait_for()


def _first_wrong(check: dict) -> dict:
    return next(option for option in check["options"] if not option["is_correct"])


def take_module(page, *, javascript: bool = True, on_page: OnPage = _no_check) -> Completed:
    """From My learning, take the demo module end to end: content notice, every lesson (saving
    each reflection, answering the check wrongly then rightly), through to the certificate.
    `on_page(name)` runs on every distinct page state, e.g. to run axe or take a screenshot."""
    spec = DEMO_MODULE
    page.goto("/en-gb/my-learning/")
    page.get_by_role("link", name=f"Start {spec['title']}").click()
    page.get_by_role("heading", name=f"Before you start: {spec['title']}").wait_for()
    on_page("content-notice")
    page.get_by_role("link", name="Continue to the first lesson").click()
    skip = page.get_by_role("button", name="Skip and start learning")
    first_lesson = page.get_by_role("heading", name=spec["lessons"][0][0], level=1)
    skip.or_(first_lesson).first.wait_for()
    if skip.is_visible():  # a new learner is first offered the voluntary attitude survey
        skip.click()

    lesson_urls = []
    count = len(spec["lessons"])
    for number, (title, blocks) in enumerate(spec["lessons"], start=1):
        page.get_by_role("heading", name=title, level=1).wait_for()
        assert f"Lesson {number} of {count}" in page.inner_text(".lesson-progress__count")
        lesson_urls.append(page.url.split("#")[0])
        on_page(f"{spec['key']}-lesson-{number}")
        for prompt in _reflections_of(blocks):
            text = f"Reflection written by the browser test for lesson {number}."
            box = page.get_by_role("textbox", name=prompt)
            box.fill(text)
            box.locator("xpath=..").get_by_role("button", name="Save my reflection").click()
            page.get_by_text("Your reflection is saved. Only you can see it.").wait_for()
            assert page.get_by_role("textbox", name=prompt).input_value() == text
        check = _check_of(blocks)
        if check is not None:
            answer_check(page, check, correct=False)
            feedback = page.locator(".knowledge-check__feedback")
            assert _first_wrong(check)["feedback"] in feedback.inner_text()
            # The first wrong answer does not give the right one away.
            assert "Correct answer" not in feedback.inner_text()
            on_page("check-feedback")
            answer_check(page, check, correct=True)
        last = number == count
        button = "Mark complete and finish the module" if last else "Mark complete and continue"
        page.get_by_role("button", name=button).click()
        if javascript:  # progress.js stays on the page and offers the next step
            next_step = "View your certificate" if last else "Continue to the next"
            page.get_by_role("link", name=re.compile(next_step)).click()

    page.get_by_role("heading", name="Certificate of completion").wait_for()
    if not javascript:
        assert "Module complete. Well done" in page.content()
    on_page("certificate")
    certificate_url = page.url
    code = page.locator(".certificate__details code").inner_text()
    page.goto(f"/en-gb/certificates/verify/{code}/")
    page.get_by_role("heading", name="This certificate is valid").wait_for()
    assert spec["title"] in page.inner_text("main")
    on_page("certificate-verify")

    page.goto(lesson_urls[0])
    module_url = page.get_by_role("navigation", name="Breadcrumb").get_by_role("link").first
    return Completed(
        module_url=module_url.get_attribute("href"),
        lesson_urls=lesson_urls,
        certificate_url=certificate_url,
        code=code,
    )


# --- Manager API --------------------------------------------------------------------------------


def api_get(base_url: str, path: str, key: str) -> tuple[int, dict]:
    """GET a manager API route with a Bearer key; (status, JSON body) even for 4xx."""
    request = urllib.request.Request(  # noqa: S310 - the test's own local server
        base_url + path, headers={"Authorization": f"Bearer {key}", "Accept": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=15) as response:  # noqa: S310
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}")


def api_key(server, force: str) -> str:
    """A new manager key for one force: the last line create_api_key prints."""
    return (
        server.manage("create_api_key", "--force", force, "--name", "e2e").strip().splitlines()[-1]
    )
