"""Accessibility in a real browser (WCAG 2.2 AA): axe-core on every learner-facing page state at
desktop and 360px widths, no horizontal scrolling at 360px, a lesson completed with the keyboard
alone, focus always visible, and content warnings exposed to screen readers."""

import pytest

from courses.demo import MODULES
from tests.browser.conftest import assert_accessible, screenshot
from tests.browser.journey import (
    DEMO_MODULE,
    DEMO_PASSWORD,
    no_horizontal_scroll,
    sign_in,
    take_module,
)

PROGRAMME = "/en-gb/da-matters"  # seed_demo's programme slug; modules and lessons sit under it


def lesson_path(module: dict, number: int) -> str:
    return f"{PROGRAMME}/{module['slug']}/lesson-{number}/"


def auditor(page, width: str):
    """A per-page hook: axe (no serious or critical violation), reflow, and a screenshot."""

    def audit(name: str) -> None:
        assert_accessible(page, f"{name} at {width}")
        assert no_horizontal_scroll(page), f"{name} scrolls sideways at {width}"
        screenshot(page, f"{name}-{width}")

    return audit


@pytest.mark.parametrize(
    ("width", "learner"),
    [("desktop", "learner4@gmp.demo.example"), ("mobile", "learner5@gmp.demo.example")],
)
def test_every_page_of_a_module_is_accessible(context_factory, width, learner):
    """One signed-in context walks the demo module (content notice, each lesson, the check's
    feedback, certificate, verification), then the module page and every other demo lesson."""
    page = context_factory(width).new_page()
    audit = auditor(page, width)
    sign_in(page, learner)

    done = take_module(page, on_page=audit)

    page.goto(done.module_url)
    page.get_by_role("heading", name=DEMO_MODULE["title"], level=1).wait_for()
    audit("module")
    for module in MODULES[1:]:
        for number, (title, _blocks) in enumerate(module["lessons"], start=1):
            page.goto(lesson_path(module, number))
            page.get_by_role("heading", name=title, level=1).wait_for()
            audit(f"{module['key']}-lesson-{number}")


# --- Keyboard and focus -------------------------------------------------------------------------

FOCUSED = """() => {
    const el = document.activeElement;
    const style = getComputedStyle(el);
    return {
        tag: el.tagName.toLowerCase(),
        type: el.type || "",
        checked: Boolean(el.checked),
        text: (el.innerText || el.value || "").trim(),
        outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0,
        shadow: style.boxShadow !== "none",
    };
}"""


def press(page, key: str) -> dict:
    """Press one key; the newly focused element must show a focus indicator (WCAG 2.4.7)."""
    page.keyboard.press(key)
    focused = page.evaluate(FOCUSED)
    if focused["tag"] != "body":
        assert focused["outline"] or focused["shadow"], f"focus not visible on {focused}"
    return focused


def tab_until(page, wanted, *, key: str = "Tab", limit: int = 60) -> dict:
    for _ in range(limit):
        focused = press(page, key)
        if wanted(focused):
            return focused
    raise AssertionError(f"{key} never reached the element; focus ended on {focused}")


def test_a_lesson_can_be_completed_with_the_keyboard_alone(context_factory):
    """Tab, Shift+Tab, Space and Enter only: answer the knowledge check, see the feedback, and
    mark the lesson complete; focus is visible at every stop."""
    page = context_factory("desktop").new_page()
    sign_in(page, "learner4@met.demo.example")
    count = len(DEMO_MODULE["lessons"])
    page.goto(lesson_path(DEMO_MODULE, count))  # the lesson with the knowledge check

    tab_until(page, lambda f: f["type"] == "radio")
    press(page, "Space")
    assert page.evaluate(FOCUSED)["checked"]
    tab_until(page, lambda f: f["text"] == "Check my answer")
    assert press(page, "Shift+Tab")["type"] == "radio"  # back into the options, and forward
    assert press(page, "Tab")["text"] == "Check my answer"
    page.keyboard.press("Enter")
    page.get_by_text("Read the feedback and try again").wait_for()
    assert page.locator(".knowledge-check__result[role=status]").is_visible()

    # After the answer the page is at the check: Tab goes on from there, not from the top.
    tab_until(page, lambda f: f["text"] == "Mark complete and finish the module")
    page.keyboard.press("Space")
    page.get_by_text("Lesson complete. To complete the module, you also need to finish").wait_for()
    focused = page.evaluate(FOCUSED)  # progress.js moves focus to what is left: lesson 1
    first_title = DEMO_MODULE["lessons"][0][0]
    assert focused["text"] == f"Go to Lesson 1: {first_title}"
    assert focused["outline"] or focused["shadow"]
    assert "You have completed this lesson." in page.inner_text(".lesson-progress")
    page.keyboard.press("Enter")
    page.wait_for_url(f"**{lesson_path(DEMO_MODULE, 1)}")


@pytest.mark.parametrize(
    "path",
    [
        "/en-gb/",
        "/accounts/login/",
        "/accounts/signup/",
        "/en-gb/support/",
        "/en-gb/certificates/verify/",
    ],
)
def test_focus_is_visible_on_every_tab_stop(page, path):
    page.goto(path)
    seen = []
    for _ in range(80):
        focused = press(page, "Tab")
        if focused["tag"] == "body" or (seen and focused == seen[0]):
            break  # wrapped round: every stop visited
        seen.append(focused)
    assert len(seen) >= 3  # skip link, header links, the page's own controls


# --- Content warnings for screen readers --------------------------------------------------------


def region_tree(page, name: str) -> str:
    """The accessibility tree of the one region with this name, as a screen reader gets it."""
    region = page.get_by_role("region", name=name, exact=True)
    assert region.count() == 1, f"no single region {name!r} on {page.url}"
    tree = region.aria_snapshot()
    lines = tree.splitlines()
    # YAML quotes names holding a colon, so look for the role and name, not the whole line.
    assert f'region "{name}"' in lines[0], tree
    assert f'heading "{name}" [level=2]' in lines[1], tree  # the first thing read inside
    return tree


def test_content_warnings_are_named_regions_with_headings(context_factory):
    """What a screen reader gets: each warning is a region named by its heading (announced on
    entry, listed with landmarks and headings), holding the warning and ways to get support."""
    page = context_factory("desktop").new_page()
    sign_in(page, "learner6@gmp.demo.example")

    page.get_by_role("link", name=f"Start {DEMO_MODULE['title']}").click()
    page.get_by_role("heading", name=f"Before you start: {DEMO_MODULE['title']}").wait_for()
    region_tree(page, "What this module covers")
    assert "tel:" in region_tree(page, "If this affects you")  # support is one step away

    for path, name in [
        (f"{PROGRAMME}/{DEMO_MODULE['slug']}/", "Before you start: content notice"),
        (lesson_path(DEMO_MODULE, 2), "Content notice"),  # a content-warning block
    ]:
        page.goto(path)
        tree = region_tree(page, name)
        assert "All support services" in tree, tree
        assert page.get_by_role("region", name=name).locator("a[href^='tel:']").count() >= 1

    # Once per module visit: after "Before you start", not again above the first lesson.
    page.goto(lesson_path(DEMO_MODULE, 1))
    page.get_by_role("heading", level=1).wait_for()
    assert page.get_by_role("region", name="Before you start: content notice").count() == 0

    # Survivor voices opened at its first lesson: the module's notice lists the support; the
    # lesson's own warning, with the same services, points up to it instead of repeating them.
    page.goto(lesson_path(MODULES[2], 1))
    notice = "Before you start: content notice"
    region_tree(page, notice)
    assert page.get_by_role("region", name=notice).locator("a[href^='tel:']").count() >= 1
    warning = page.get_by_role("region", name="Content notice", exact=True)
    assert "support is listed above" in region_tree(page, "Content notice")
    assert warning.locator("a[href^='tel:']").count() == 0
    warning.get_by_role("link", name="support is listed above").click()
    assert page.url.endswith("#content-notice")


# --- Both languages ---------------------------------------------------------------------------

HTML_LANG = {"en-gb": "en-GB", "cy": "cy"}
OTHER = {"en-gb": ("cy", "Cymraeg"), "cy": ("en-GB", "English")}
LANGUAGE_NAV = {"en-gb": "Language", "cy": "Iaith"}

# Learners of these tests' own, whose saved language no other test meets: one in England, one
# in Wales (Welsh first, with no choice of their own).
MAKE_LEARNERS = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from courses.models import Force, LearnerProfile

for email, code in [
    ("bilingual@met.demo.example", "met"),
    ("cymru@south-wales.example", "south-wales"),
]:
    user, _ = get_user_model().objects.get_or_create(username=email, defaults={{"email": email}})
    user.set_password("{DEMO_PASSWORD}")
    user.save()
    EmailAddress.objects.update_or_create(
        user=user, email=email, defaults={{"verified": True, "primary": True}}
    )
    LearnerProfile.objects.update_or_create(
        user=user, defaults={{"force": Force.objects.get(code=code), "language": ""}}
    )
"""


@pytest.fixture
def bilingual_learners(app_server):
    app_server.manage("shell", "-c", MAKE_LEARNERS)


def assert_switch(page, language: str) -> None:
    """<html lang> is the language read; the switch links to the page in the other language,
    named in that language, with lang and hreflang."""
    assert page.get_attribute("html", "lang") == HTML_LANG[language]
    other_lang, other_name = OTHER[language]
    nav = page.get_by_role("navigation", name=LANGUAGE_NAV[language], exact=True)
    switch = nav.get_by_role("link", name=other_name, exact=True)
    assert switch.get_attribute("lang") == other_lang
    assert switch.get_attribute("hreflang") == other_lang
    assert switch.get_attribute("href").startswith(f"/{other_lang.lower()}/")


def sign_in_as(page, email_address: str, landing: str) -> None:
    """The sign-in form, whatever its language: the address, then the password."""
    page.goto("/accounts/login/")
    email = page.locator("input[type=email]")
    email.fill(email_address)
    password = page.locator("input[type=password]")
    if not password.is_visible():
        email.press("Enter")  # "Continue", without JavaScript
    password.fill(DEMO_PASSWORD)
    password.press("Enter")
    page.wait_for_url(f"**{landing}")


@pytest.mark.parametrize("language", ["en-gb", "cy"])
def test_key_learner_pages_are_accessible_in_both_languages(
    context_factory, bilingual_learners, language
):
    page = context_factory("desktop").new_page()
    audit = auditor(page, f"desktop-{language}")
    page.goto(f"/{language}/")
    assert_switch(page, language)
    audit(f"home-{language}")
    page.goto("/accounts/login/")
    audit(f"sign-in-{language}")
    sign_in_as(page, "bilingual@met.demo.example", "/my-learning/")
    for path in ("my-learning/", "support/", "certificates/verify/", f"{PROGRAMME[1:]}/"):
        page.goto(f"/{language}/{path}")
        page.get_by_role("heading", level=1).first.wait_for()
        assert_switch(page, language)
        audit(f"{path.strip('/').replace('/', '-')}-{language}")


@pytest.mark.parametrize("javascript", [True, False])
def test_the_switch_goes_to_welsh_and_back_and_is_remembered(
    context_factory, bilingual_learners, javascript
):
    """In Chromium, with and without JavaScript: the sign-in page's button (no prefix there),
    the link on a learner page, and the learner's choice kept for their next sign-in."""
    page = context_factory("desktop", javascript=javascript).new_page()
    page.goto("/accounts/login/")
    with page.expect_navigation():
        page.get_by_role("button", name="Cymraeg", exact=True).click()
    assert page.get_attribute("html", "lang") == "cy"
    with page.expect_navigation():
        page.get_by_role("button", name="English", exact=True).click()
    assert page.get_attribute("html", "lang") == "en-GB"

    sign_in_as(page, "bilingual@met.demo.example", "/en-gb/my-learning/")
    page.get_by_role("link", name="Cymraeg", exact=True).click()
    page.wait_for_url("**/cy/my-learning/")
    assert_switch(page, "cy")

    # Another browser, signed in afresh: Welsh, as chosen; then back to English, kept too.
    fresh = context_factory("desktop", javascript=javascript).new_page()
    sign_in_as(fresh, "bilingual@met.demo.example", "/cy/my-learning/")
    assert fresh.get_attribute("html", "lang") == "cy"
    fresh.get_by_role("link", name="English", exact=True).click()
    fresh.wait_for_url("**/en-gb/my-learning/")
    assert_switch(fresh, "en-gb")


def test_a_learner_in_wales_reads_welsh_first(context_factory, bilingual_learners):
    page = context_factory("desktop").new_page()
    sign_in_as(page, "cymru@south-wales.example", "/cy/my-learning/")
    assert_switch(page, "cy")
    names = page.get_by_role("navigation", name="Iaith", exact=True).inner_text()
    assert names.index("Cymraeg") < names.index("English")
    assert_accessible(page, "My learning in Welsh, for a force in Wales")
