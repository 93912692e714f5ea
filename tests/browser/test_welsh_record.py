"""One learner record across languages, in a real browser: an officer takes the first lesson
of a module in English and the rest, with its knowledge check, in Welsh (navigating to the
/cy/ addresses directly), and gets one completion, one certificate shown in Welsh, one card on
My learning, and one row in their manager's report.

The Welsh is the demo's own (seed_demo translates it with wagtail-localize). Every step in
the browser is a plain form post (no JavaScript), and buttons are found by their forms, not
their words."""

import json

from courses.demo import KNOWLEDGE_CHECKS
from tests.browser.journey import (
    DEMO_MODULE,
    api_get,
    api_key,
    confirm_email,
    confirmation_link,
    fill_sign_in,
    register,
    sign_in,
)

FORCE = "met"

# The demo module and its lessons in English and in Welsh (seed_demo translates the whole demo
# with wagtail-localize: courses.demo.welsh_pages): their addresses and titles, and the Welsh
# knowledge check's options as the Welsh page has them.
READ = """
import json
from wagtail.models import Locale
from courses.models import LessonPage, ModulePage

cy = Locale.objects.get(language_code="cy")
english = ModulePage.objects.get(slug=%(slug)r, locale__language_code="en-gb")
lessons = list(LessonPage.objects.child_of(english).live().order_by("path"))
welsh = [lesson.get_translation(cy) for lesson in lessons]
checks = [
    child.value for lesson in welsh for child in lesson.body
    if child.block_type == "knowledge_check"
]
print(json.dumps({
    "english": [lesson.get_url() for lesson in lessons],
    "welsh": [lesson.get_url() for lesson in welsh],
    "welsh_titles": [lesson.title for lesson in welsh],
    "welsh_module_title": english.get_translation(cy).title,
    "check": [
        {"text": str(o["text"]), "is_correct": o["is_correct"], "feedback": str(o["feedback"])}
        for o in checks[0]["options"]
    ],
}))
"""


def complete_lesson(page) -> None:
    """Press the lesson's "Mark complete" button (a plain form post) and wait for where it
    goes."""
    with page.expect_navigation():
        page.locator("form.lesson-complete button[type=submit]").click()


def test_a_module_taken_half_in_english_half_in_welsh_is_one_record(app_server, context_factory):
    spec = DEMO_MODULE
    script = READ % {"slug": spec["slug"]}
    urls = json.loads(app_server.manage("shell", "-c", script).strip().splitlines()[-1])
    welsh_title = urls["welsh_module_title"]
    assert welsh_title != spec["title"]
    assert all(url.startswith("/en-gb/") for url in urls["english"])
    assert all(url.startswith("/cy/") for url in urls["welsh"])
    manager = api_key(app_server, FORCE)

    address = f"welsh-record@{FORCE}.demo.example"
    page = context_factory("desktop", javascript=False).new_page()
    register(page, email_address=address, first_name="Cerys", last_name="Prydderch")
    page.goto("/accounts/login/")
    fill_sign_in(page, address)
    page.get_by_role("button", name="Sign in").click()
    confirm_email(page, confirmation_link(app_server.mails(), address))
    sign_in(page, address)

    # Lesson 1 in English (a new learner is first offered the voluntary survey: skipped).
    page.goto(urls["english"][0])
    skip = page.get_by_role("button", name="Skip and start learning")
    if skip.is_visible():
        skip.click()
    page.get_by_role("heading", name=spec["lessons"][0][0], level=1).wait_for()
    complete_lesson(page)

    # The other lessons in Welsh, by their /cy/ addresses; the check on the last.
    english_check, welsh_check = _check(spec), urls["check"]
    for number, url in enumerate(urls["welsh"][1:], start=2):
        page.goto(url)
        title = urls["welsh_titles"][number - 1]
        page.get_by_role("heading", name=title, level=1).wait_for()
        if number == len(urls["welsh"]):
            section = page.locator("section.knowledge-check")
            for option in welsh_check:
                if option["is_correct"]:
                    section.get_by_label(option["text"], exact=True).check()
            with page.expect_navigation():
                section.locator("button[type=submit]").click()
            feedback = page.locator(".knowledge-check__feedback").inner_text()
            right = next(o for o in welsh_check if o["is_correct"])
            assert right["feedback"] in feedback  # the Welsh page's feedback, not the English
            assert all(option["feedback"] not in feedback for option in english_check["options"])
        complete_lesson(page)

    # The module is complete: one certificate, shown in Welsh at its /cy/ address.
    assert "/cy/my-learning/certificates/" in page.url
    assert page.locator(".certificate__module").inner_text() == welsh_title
    code = page.locator(".certificate__details code").inner_text()
    for prefix, title in (("/cy", welsh_title), ("/en-gb", spec["title"])):
        page.goto(f"{prefix}/certificates/verify/{code}/")
        assert title in page.inner_text("main")

    # My learning lists the module once, in the language of the address.
    page.goto("/cy/my-learning/")
    cards = page.locator(".module-card")
    assert cards.filter(has_text=welsh_title).count() == 1
    assert cards.filter(has_text=spec["title"]).count() == 0
    page.goto("/en-gb/my-learning/")
    assert cards.filter(has_text=spec["title"]).count() == 1
    assert cards.filter(has_text=welsh_title).count() == 0

    # The manager's report: one completed row for the officer, against the English module.
    status, body = api_get(
        app_server.url, f"/api/v1/forces/{FORCE}/completions/?module={spec['slug']}", manager
    )
    assert status == 200, body
    rows = [row for row in body["results"] if row["email"] == address]
    assert len(rows) == 1, body
    assert rows[0]["progress_percent"] == 100 and rows[0]["completed_at"]
    status, body = api_get(app_server.url, "/api/v1/modules/", manager)
    assert [row["slug"] for row in body].count(spec["slug"]) == 1


def _check(spec) -> dict:
    """The demo module's knowledge check, as the seed loads it."""
    kind = next(k for _, blocks in spec["lessons"] for k, _ in blocks if k.startswith("CHECK:"))
    return KNOWLEDGE_CHECKS[kind.split(":", 1)[1]]
