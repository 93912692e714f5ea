"""A force training lead enrols learners from an HR file in a real browser: upload, preview,
apply; the new learner's invitation sets their password. axe checks our three screens."""

import email
import email.policy
import re
from urllib.parse import urlsplit

from tests.browser.conftest import DEMO_PASSWORD, assert_accessible, screenshot
from tests.browser.journey import no_horizontal_scroll, sign_in

LEAD = "import.lead@demo.example"
NEW_LEARNER = "new.officer@met.demo.example"
MAKE_LEAD = f"""
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group, User
from courses.models import TRAINING_LEADS_GROUP, Force, TrainingLead
user, _ = User.objects.get_or_create(username="{LEAD}", defaults={{"email": "{LEAD}"}})
user.set_password("{DEMO_PASSWORD}")
user.save()
EmailAddress.objects.update_or_create(
    user=user, email="{LEAD}", defaults={{"verified": True, "primary": True}}
)
user.groups.add(Group.objects.get(name=TRAINING_LEADS_GROUP))
lead, _ = TrainingLead.objects.get_or_create(user=user)
lead.forces.add(Force.objects.get(code="met"))
"""
HR_FILE = (
    "Email,Name,Role,Staff number,Team,Start date\n"
    f"{NEW_LEARNER},Sam Okafor,PCSO,MP0042,North,31/01/2027\n"
    "learner1@met.demo.example,,Supervisor,,,\n"
    "someone@gmp.demo.example,Some One,PCSO,,,\n"
).encode()


def staff_sign_in(page, address: str) -> None:
    page.goto("/admin/enrolment-imports/")
    page.get_by_label("Email").fill(address)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url("**/admin/enrolment-imports/")


def settled(page):
    """The page once Wagtail's message banner has faded in: axe measures colours as shown."""
    page.wait_for_function(
        """() => document.getAnimations()
            .filter((a) => a.effect?.target?.closest?.(".messages"))
            .every((a) => a.playState !== "running")"""
    )
    return page


def invitation_path(mails: list[str], address: str) -> str:
    for text in mails:
        for raw in re.split(r"^-{79}$", text, flags=re.MULTILINE):
            message = email.message_from_string(raw.strip(), policy=email.policy.default)
            if message["To"] == address:
                body = message.get_body(preferencelist=("plain",)).get_content()
                return urlsplit(re.search(r"https?://\S+/password/reset/key/\S+/", body)[0]).path
    raise AssertionError(f"No invitation to {address}")


def test_a_lead_uploads_previews_and_applies_an_hr_file(app_server, context_factory):
    app_server.manage("shell", "-c", MAKE_LEAD)
    page = context_factory("desktop").new_page()
    staff_sign_in(page, LEAD)

    page.get_by_role("heading", name="Enrol learners from an HR file").wait_for()
    assert_accessible(settled(page), "enrolment upload")
    screenshot(page, "enrolment-upload-desktop")
    page.get_by_label("HR file (CSV or XLSX)").set_input_files(
        files=[{"name": "met-hr.csv", "mimeType": "text/csv", "buffer": HR_FILE}]
    )
    page.get_by_role("button", name="Upload and preview").click()

    page.get_by_role("heading", name="Check the import before applying it").wait_for()
    counts = page.locator("#import-counts").inner_text()
    assert re.search(r"New learners\s+1", counts) and re.search(r"Changed\s+1", counts)
    assert re.search(r"Rows with errors \(not imported\)\s+1", counts)
    assert "Not an address of Metropolitan Police Service" in page.inner_text("#import-errors")
    assert "Role: Response officer → Supervisor" in page.inner_text("#import-changes")
    assert_accessible(settled(page), "enrolment preview")
    screenshot(page, "enrolment-preview-desktop")
    page.get_by_role("button", name="Apply this file").click()

    page.get_by_role("heading", name="Import applied").wait_for()
    assert "The file was applied" in page.inner_text("body")
    assert_accessible(settled(page), "enrolment applied")
    screenshot(page, "enrolment-applied-desktop")

    # The job sends the invitation; its link lets the new learner choose a password.
    assert "Sent 1 invitation(s)" in app_server.manage("send_invitations")
    learner = context_factory("mobile").new_page()
    learner.goto(invitation_path(app_server.mails(), NEW_LEARNER))
    learner.get_by_role("heading", name="Choose a new password").wait_for()
    learner.locator("input[name=password1]").fill("a-long-unusual-passphrase")
    learner.locator("input[name=password2]").fill("a-long-unusual-passphrase")
    learner.get_by_role("button", name="Save the new password").click()
    learner.wait_for_url("**/password/reset/key/done/")
    sign_in(learner, NEW_LEARNER, "a-long-unusual-passphrase")
    assert no_horizontal_scroll(learner)


def test_the_upload_page_works_on_a_phone(app_server, context_factory):
    app_server.manage("shell", "-c", MAKE_LEAD)
    page = context_factory("mobile").new_page()
    staff_sign_in(page, LEAD)
    page.get_by_role("heading", name="Enrol learners from an HR file").wait_for()
    assert_accessible(settled(page), "enrolment upload on a phone")
    screenshot(page, "enrolment-upload-mobile")
