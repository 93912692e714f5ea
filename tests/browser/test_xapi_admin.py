"""An administrator in a real browser: opens Settings -> xAPI delivery, finds the demo Met's
paused LRS connection, saves its form (first with a mistake, then with the secret left blank,
which keeps the saved one), opens the failed deliveries and sends them again with "Retry all".
axe: no serious or critical violation on the listing, the form (with and without an error)
and the failed deliveries, at desktop and mobile widths. At both widths nothing in the main
content is cut off by the admin's content area (WCAG 1.4.10 reflow): only the tables scroll
sideways, each in a region a keyboard user can reach and scroll."""

import re

import pytest

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll

ADMIN = "admin@demo.example"  # seed_demo's superuser
MET = "Metropolitan Police Service"
INDEX = "/admin/xapi-delivery/"
LEARNER = "xapi-dead-letter@met.demo.example"
LRS_ANSWER = "The store is being restarted: try again later."

# Run before each test against the app server's database: a Met learner of its own (never a
# demo learner other browser tests use) with one lesson event, queued for the Met's paused
# connection as progress is; then that entry marked as having used up its attempts, as the
# deliverer leaves it when the LRS keeps failing.
DEAD_LETTER = f"""
import uuid
from django.conf import settings
from django.contrib.auth import get_user_model
from courses import services
from courses.models import Force, LearnerProfile, LessonPage, OutboxState, XapiOutbox

met = Force.objects.get(code="met")
user, made = get_user_model().objects.get_or_create(
    username="xapi-dead-letter",
    defaults={{"email": "{LEARNER}", "first_name": "Rowan", "last_name": "Outbox"}},
)
if made:
    LearnerProfile.objects.create(user=user, force=met, team="Outbox team")
    services.progress_record(
        learner=user,
        event_id=uuid.uuid4(),
        lesson=LessonPage.objects.live().order_by("path").first(),
        verb="experienced",
    )
rows = XapiOutbox.objects.filter(event__learner=user, connection__force=met)
assert rows.count() == 1, "the Met's connection did not queue the event"
rows.update(
    state=OutboxState.DEAD,
    attempts=settings.XAPI_MAX_ATTEMPTS,
    last_status=503,
    last_answer="{LRS_ANSWER}",
)
print(user.learner_profile.xapi_id)
"""


@pytest.fixture
def dead_letter(app_server) -> str:
    """One failed delivery to the Met's LRS (made again for each test); its learner's xAPI id."""
    return app_server.manage("shell", "-c", DEAD_LETTER).strip().splitlines()[-1]


def admin_sign_in(page) -> None:
    page.goto("/admin/")
    page.get_by_label("Email").fill(ADMIN)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/")


def open_listing(page) -> None:
    """Once more without Wagtail's "signed in" banner, whose fade-in axe may catch half-way."""
    page.goto(INDEX)
    page.get_by_role("heading", name="xAPI delivery").wait_for()


# The tables scroll sideways inside these regions, which a keyboard user reaches with Tab.
TABLE_REGION = 'div[role="region"][tabindex="0"][aria-label]'

# Wagtail's breadcrumbs, whose last item is the page's title, scroll sideways by themselves.
BREADCRUMBS = "[data-w-breadcrumbs]"

# Each element of the main content (the admin's <main>, which hides what overflows it) that
# reaches past the viewport's edges, or whose content is wider than its own box (cut off),
# except within a table's scrolling region or Wagtail's breadcrumbs: as "tag.class: width".
# Visually hidden elements (a 1 px box) are left out; so is the content of form fields, which
# scroll by themselves.
OVERFLOWING = """
([region, breadcrumbs]) => {
  const width = document.documentElement.clientWidth;
  const found = [];
  for (const el of document.querySelectorAll("main *")) {
    if (el.parentElement.closest(region) || el.closest(breadcrumbs)) continue;
    const box = el.getBoundingClientRect();
    if (box.width <= 1 && box.height <= 1) continue;
    const cut = !el.matches(region) && !el.matches("input, select, textarea")
      && el.clientWidth > 0 && el.scrollWidth > el.clientWidth + 1;
    if (box.left < -0.5 || box.right > width + 0.5 || cut) {
      found.push(`${el.tagName.toLowerCase()}.${[...el.classList].join(".")}: `
        + `${Math.round(box.width)} px, content ${el.scrollWidth} px`);
    }
  }
  return found;
}
"""


def overflowing(page) -> list[str]:
    return page.evaluate(OVERFLOWING, [TABLE_REGION, BREADCRUMBS])


def check(page, label: str, name: str) -> None:
    assert_accessible(page, label)
    assert no_horizontal_scroll(page), f"{label}: the page scrolls sideways"
    assert not (cut := overflowing(page)), f"{label}: cut off by the admin's content area: {cut}"
    screenshot(page, name)


def assert_table_scrolls_by_keyboard(page, name: str) -> None:
    """The table is wider than a phone: its region takes the focus from the keyboard and the
    arrow keys scroll it."""
    region = page.get_by_role("region", name=name)
    assert region.get_attribute("tabindex") == "0"  # in the Tab order
    assert region.locator("table").count() == 1
    assert region.evaluate("el => el.scrollWidth > el.clientWidth"), "nothing to scroll"
    region.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("el => el.scrollLeft > 0", arg=region.element_handle())


def test_an_administrator_saves_the_met_connection_and_retries_its_failed_deliveries(
    context_factory, dead_letter
):
    page = context_factory("desktop").new_page()
    admin_sign_in(page)
    page.get_by_role("button", name="Settings").click()
    page.get_by_role("link", name="xAPI delivery").click()
    page.wait_for_url(f"**{INDEX}")
    open_listing(page)
    row = page.get_by_role("row").filter(has_text=MET)
    cells = row.get_by_role("cell").all_inner_texts()
    assert cells[:5] == [MET, "http://127.0.0.1:8765/xAPI/", "1.0.3", "Opaque account id", "Paused"]
    assert cells[9] == "1"  # failed
    check(page, "xAPI delivery", "xapi-delivery-desktop")

    row.get_by_role("link", name=MET).click()
    page.get_by_role("heading", name=f"{MET}: LRS connection").wait_for()
    secret = page.get_by_label("Secret", exact=True)
    assert secret.input_value() == ""  # write-only: the saved secret is never sent back
    assert not page.get_by_label("Enabled").is_checked()
    assert page.get_by_label(re.compile("xAPI version")).input_value() == "1.0.3"  # not "XAPI"
    check(page, "LRS connection form", "xapi-connection-desktop")

    page.get_by_label("Endpoint").fill("http://lrs.met.example/xAPI/")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Use an https:// address").wait_for()
    assert secret.input_value() == ""  # not even a form with errors shows a secret
    check(page, "LRS connection form with an error", "xapi-connection-error-desktop")

    page.get_by_label("Endpoint").fill("http://127.0.0.1:8765/xAPI/")
    page.get_by_label("Batch size").fill("40")
    assert secret.input_value() == ""  # left blank: the saved secret is kept
    page.get_by_role("button", name="Save").click()
    page.get_by_text(f"{MET}'s LRS connection saved.").wait_for()
    assert page.get_by_label("Batch size").input_value() == "40"
    assert "demo-lrs-secret" not in page.content()
    # The secret was kept: the connection test gets past it to the LRS (none listens here).
    page.get_by_role("button", name="Test connection").click()
    message = page.locator(".messages")
    message.wait_for()
    assert "secret" not in message.inner_text().lower(), message.inner_text()

    page.get_by_role("link", name="Failed deliveries and what is waiting").click()
    page.get_by_role("heading", name=f"{MET}: failed deliveries").wait_for()
    table = page.get_by_role("table", name=re.compile("Failed deliveries"))
    failed = table.locator("tbody tr").filter(has_text=dead_letter)
    assert LRS_ANSWER in failed.inner_text() and "503" in failed.inner_text()
    assert LEARNER not in page.content() and "Rowan" not in page.content()
    check(page, "failed deliveries", "xapi-dead-letters-desktop")

    page.get_by_role("button", name=re.compile(r"^Retry all \d+$")).click()
    page.get_by_text(re.compile(r"\d+ failed deliver(y|ies) will be sent again\.")).wait_for()
    page.get_by_text("No failed deliveries.").wait_for()
    open_listing(page)
    row = page.get_by_role("row").filter(has_text=MET)
    assert row.get_by_role("cell").all_inner_texts()[9] == "0"


def test_the_xapi_screens_on_a_phone(context_factory, dead_letter):
    page = context_factory("mobile").new_page()
    admin_sign_in(page)
    open_listing(page)
    check(page, "xAPI delivery on a phone", "xapi-delivery-mobile")
    assert_table_scrolls_by_keyboard(page, "LRS connections, by force")

    page.get_by_role("row").filter(has_text=MET).get_by_role("link", name=MET).click()
    page.get_by_role("heading", name=f"{MET}: LRS connection").wait_for()
    check(page, "LRS connection form on a phone", "xapi-connection-mobile")
    page.get_by_label("Batch size").fill("0")
    page.get_by_role("button", name="Save").click()
    error = page.get_by_text("Send at least 1 statement per request.")
    error.wait_for()
    error.scroll_into_view_if_needed()  # the admin scrolls inside its frame: show the error
    check(page, "LRS connection form with an error on a phone", "xapi-connection-error-mobile")

    page.get_by_role("link", name="Failed deliveries and what is waiting").click()
    page.get_by_role("heading", name=f"{MET}: failed deliveries").wait_for()
    page.get_by_role("cell", name=dead_letter).wait_for()
    check(page, "failed deliveries on a phone", "xapi-dead-letters-mobile")
    assert_table_scrolls_by_keyboard(page, f"Failed deliveries to {MET}'s LRS")
