"""Enrolment from an HR file: preview, apply, rerun, refusals, leavers, scope, invitations."""

import datetime
import io
import re
from urllib.parse import urlsplit

import openpyxl
import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core import mail
from django.core.files import File
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from courses import enrolment_import, services
from courses.models import (
    AuditAction,
    AuditEvent,
    EnrolmentImport,
    EnrolmentImportStatus,
    ForceEmailDomain,
    LearnerProfile,
    ModuleProgress,
    Pathway,
    PathwayStep,
    TrainingLead,
)
from tests.factories import UserFactory, force, learner, training_lead

User = get_user_model()
HEADER = "email,name,role,staff_number,team,start_date\n"


@pytest.fixture
def met_domain(db):
    return ForceEmailDomain.objects.create(force=force("met"), domain="met.police.uk")


def make_lead(*codes):
    return training_lead(*codes)


@pytest.fixture
def lead(met_domain):
    return make_lead("met")


@pytest.fixture
def lead_client(client, lead):
    client.force_login(lead)
    return client


def met_learner(email, **kwargs):
    user = learner("met", user__username=email, user__email=email, **kwargs)
    return user


def csv_file(text: str, name="staff.csv", bom=False) -> SimpleUploadedFile:
    data = text.encode("utf-8")
    return SimpleUploadedFile(name, (b"\xef\xbb\xbf" if bom else b"") + data, "text/csv")


def upload(client, file, *, force_code="met", deactivate_missing=False):
    data = {"force": force(force_code).pk, "file": file}
    if deactivate_missing:
        data["deactivate_missing"] = "on"
    return client.post(reverse("courses_enrolment_upload"), data)


def last_import() -> EnrolmentImport:
    return EnrolmentImport.objects.latest("pk")


def apply(client, imported):
    return client.post(reverse("courses_enrolment_import_apply", args=[imported.pk]))


# --- Preview and apply --------------------------------------------------------------------


def test_preview_counts_every_kind_of_row_and_writes_nothing(lead_client):
    met_learner("same@met.police.uk", role="pcso", staff_number="P1", team="")
    changing = met_learner("moving@met.police.uk", role="pcso", staff_number="P2")
    changing.first_name, changing.last_name = "Ali", "Khan"
    changing.save()
    same = User.objects.get(email="same@met.police.uk")
    text = HEADER + (
        f"same@met.police.uk,{same.first_name} {same.last_name},PCSO,P1,,\n"
        "Moving@Met.Police.uk,Ali Khan,Supervisor,P2,North,31/01/2027\n"
        "new.person@met.police.uk,Sam Okafor,call handler,C9,,2027-01-31\n"
        "\n"
        "broken@met.police.uk,Jo Bloggs,astronaut,,,\n"
    )
    users_before = User.objects.count()

    response = upload(lead_client, csv_file(text))

    imported = last_import()
    assert response.status_code == 302
    assert response["Location"] == reverse("courses_enrolment_import", args=[imported.pk])
    assert User.objects.count() == users_before
    report = imported.preview
    assert (report["new"], report["changed"], report["unchanged"], report["errors"]) == (1, 1, 1, 1)
    assert report["error_rows"] == [
        {
            "row": 6,
            "email": "broken@met.police.uk",
            "reason": "Unknown role 'astronaut'. Use one of: Response officer, PCSO, Call handler, "
            "Police staff, Supervisor, Senior leader.",
        }
    ]
    changes = {c["field"]: (c["old"], c["new"]) for c in report["changes"][0]["changes"]}
    assert changes == {
        "Role": ("PCSO", "Supervisor"),
        "Team": ("(blank)", "North"),
        "Start date": ("(blank)", "31/01/2027"),
    }
    page = lead_client.get(response["Location"])
    assert page.status_code == 200
    html = page.content.decode()
    assert "Check the import before applying it" in html
    assert "Unknown role &#x27;astronaut&#x27;" in html
    assert "Role: PCSO → Supervisor" in html
    assert LearnerProfile.objects.get(user=changing).role == "pcso"


def test_apply_creates_learners_enrols_them_and_a_rerun_changes_nothing(lead_client, module_tree):
    pathway = Pathway.objects.create(role="call-handler")
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module, days_to_complete=30)
    text = HEADER + "sam.okafor@met.police.uk,Sam Okafor,Call handler,C9,Response,2027-01-31\n"
    upload(lead_client, csv_file(text, bom=True))
    imported = last_import()

    response = apply(lead_client, imported)

    assert response.status_code == 302
    imported.refresh_from_db()
    assert imported.status == EnrolmentImportStatus.APPLIED
    assert not imported.file  # the HR file is not kept once applied
    user = User.objects.get(email="sam.okafor@met.police.uk")
    assert (user.first_name, user.last_name, user.username) == ("Sam", "Okafor", user.email)
    assert not user.has_usable_password() and user.is_active
    profile = user.learner_profile
    assert (profile.force.code, profile.role, profile.staff_number, profile.team) == (
        "met",
        "call-handler",
        "C9",
        "Response",
    )
    assert profile.start_date == datetime.date(2027, 1, 31)
    assert profile.invited_at is None  # invited by send_invitations, not by the request
    address = EmailAddress.objects.get(user=user)
    assert address.verified and address.primary
    row = ModuleProgress.objects.get(learner=user)
    assert row.required and timezone.localtime(row.due_at).date() == datetime.date(2027, 3, 2)
    audit = AuditEvent.objects.get(action=AuditAction.ENROLMENT_IMPORT)
    assert (audit.user_id, audit.force_code) == (imported.created_by_id, "met")

    upload(lead_client, csv_file(text))
    rerun = last_import()
    assert (rerun.preview["new"], rerun.preview["changed"], rerun.preview["unchanged"]) == (0, 0, 1)
    apply(lead_client, rerun)
    rerun.refresh_from_db()
    assert rerun.result["unchanged"] == 1 and rerun.result["new"] == 0
    assert User.objects.filter(email="sam.okafor@met.police.uk").count() == 1


def test_applying_twice_does_nothing_the_second_time(lead_client):
    upload(lead_client, csv_file(HEADER + "a.b@met.police.uk,A B,PCSO,,,\n"))
    imported = last_import()
    apply(lead_client, imported)
    events = AuditEvent.objects.filter(action=AuditAction.ENROLMENT_IMPORT).count()

    response = apply(lead_client, imported)

    assert response.status_code == 302
    assert User.objects.filter(email="a.b@met.police.uk").count() == 1
    assert AuditEvent.objects.filter(action=AuditAction.ENROLMENT_IMPORT).count() == events
    page = lead_client.get(response["Location"])
    assert "already applied; nothing changed" in page.content.decode()


def test_an_xlsx_file_with_other_column_names_and_real_dates(lead_client):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["Email Address", "Full-Name", "ROLE", "Staff No", "Start Date"])
    sheet.append(
        ["x.y@met.police.uk", "Okafor, Sam", "senior leader", 12345, datetime.date(2027, 2, 1)]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    file = SimpleUploadedFile("export.xlsx", buffer.getvalue())

    upload(lead_client, file)
    apply(lead_client, last_import())

    profile = LearnerProfile.objects.select_related("user").get(user__email="x.y@met.police.uk")
    assert (profile.user.first_name, profile.user.last_name) == ("Sam", "Okafor")
    assert (profile.role, profile.staff_number) == ("leader", "12345")
    assert profile.start_date == datetime.date(2027, 2, 1)


def test_a_semicolon_separated_file(lead_client):
    upload(lead_client, csv_file("email;name;role\nsemi@met.police.uk;Ann Lee;Police staff\n"))
    assert last_import().preview["new"] == 1


def test_existing_accounts_are_found_whatever_the_case_or_by_a_second_address(lead_client):
    mixed = learner("met", user__username="mixed", user__email="Mixed.Case@met.police.uk")
    second = learner("met", user__username="second", user__email="first@met.police.uk")
    EmailAddress.objects.create(user=second, email="second@met.police.uk", verified=True)
    learner("met", user__username="taken@met.police.uk", user__email="other@met.police.uk")
    text = HEADER + (
        "mixed.case@met.police.uk,,PCSO,,,\n"
        "second@met.police.uk,,PCSO,,,\n"
        "taken@met.police.uk,Tay Ken,PCSO,,,\n"
    )
    users_before = User.objects.count()

    upload(lead_client, csv_file(text))
    imported = last_import()
    apply(lead_client, imported)

    imported.refresh_from_db()
    assert (imported.result["new"], imported.result["changed"]) == (0, 2)
    assert imported.result["error_rows"][0]["reason"] == "This address is used by another account."
    assert User.objects.count() == users_before
    assert LearnerProfile.objects.get(user=mixed).role == "pcso"
    assert LearnerProfile.objects.get(user=second).role == "pcso"


# --- Refusals -----------------------------------------------------------------------------


def test_rows_at_another_forces_domain_are_refused_naming_the_allowed_domains(lead_client):
    ForceEmailDomain.objects.create(force=force("met"), domain="met.pnn.police.uk")
    upload(lead_client, csv_file(HEADER + "someone@gmp.police.uk,Some One,PCSO,,,\n"))

    report = last_import().preview
    assert report["errors"] == 1 and report["new"] == 0
    assert report["error_rows"][0]["reason"] == (
        "Not an address of Metropolitan Police Service: its domains are "
        "met.pnn.police.uk, met.police.uk."
    )


def test_another_forces_learner_is_refused_without_saying_anything_about_them(lead_client):
    ForceEmailDomain.objects.create(force=force("gmp"), domain="gmp.police.uk")
    # An address at the Met's domain, registered with GMP before a move, say.
    other = learner("gmp", user__email="moved@met.police.uk", role="leader", team="Secret")
    upload(lead_client, csv_file(HEADER + "moved@met.police.uk,New Name,PCSO,,,\n"))

    imported = last_import()
    reason = imported.preview["error_rows"][0]["reason"]
    assert reason == (
        "Already registered with another force; ask SafeLives to move them if they have "
        "joined yours."
    )
    apply(lead_client, imported)
    other.refresh_from_db()
    assert other.learner_profile.force.code == "gmp" and other.first_name != "New"


def test_staff_accounts_and_duplicates_are_error_rows(lead_client):
    UserFactory(email="editor@met.police.uk", is_staff=True)
    text = HEADER + (
        "editor@met.police.uk,Ed Itor,PCSO,,,\n"
        "twice@met.police.uk,Ann One,PCSO,,,\n"
        "TWICE@met.police.uk,Ann Two,PCSO,,,\n"
        "not-an-email,No One,PCSO,,,\n"
        ",Nobody,PCSO,,,\n"
        "new@met.police.uk,,PCSO,,,\n"
        "date@met.police.uk,Dee Ate,PCSO,,,31 January\n"
    )
    upload(lead_client, csv_file(text))

    reasons = {row["row"]: row["reason"] for row in last_import().preview["error_rows"]}
    assert reasons == {
        2: "This address belongs to a staff account, not a learner's.",
        4: "This address is also on row 3.",
        5: "'not-an-email' is not an email address.",
        6: "The email address is missing.",
        7: "A name is needed for a new learner.",
        8: "'31 January' is not a date: write 2027-01-31 or 31/01/2027.",
    }
    assert last_import().preview["new"] == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("staff.pdf", b"%PDF-1.4", "Upload a CSV file (.csv) or an Excel workbook (.xlsx)."),
        ("staff.csv", b"", "The file is empty. Its first row must name the columns."),
        ("staff.csv", b"\n,,\n", "The file is empty. Its first row must name the columns."),
        ("staff.csv", b"email,role\n", "Missing column(s): name."),
        ("staff.csv", b"email,name,role,salary\n", "Unknown column(s): salary."),
        ("staff.csv", "email,name,role\nä,b,c\n".encode("latin-1"), "The file is not UTF-8 text."),
        ("staff.csv", b"PK\x03\x04rest", "This looks like an Excel workbook"),
        ("staff.xlsx", b"PK\x03\x04not a workbook", "The workbook could not be opened."),
        ("staff.csv", b"email,name,email,role\n", "Column(s) named more than once: email."),
    ],
)
def test_bad_files_get_a_form_error_and_nothing_is_kept(lead_client, name, content, message):
    response = upload(lead_client, SimpleUploadedFile(name, content))

    assert response.status_code == 400
    assert message in response.context["form"].errors["file"][0]
    assert not EnrolmentImport.objects.exists()


def test_no_file_is_a_form_error_and_a_superuser_may_import_for_any_force(client, met_domain):
    admin = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.post(reverse("courses_enrolment_upload"), {"force": force("met").pk})
    assert response.status_code == 400
    assert response.context["form"].errors["file"] == [
        "Choose the file exported from your HR system."
    ]
    upload(client, csv_file(HEADER + "a.b@met.police.uk,A B,PCSO,,,\n"))
    apply(client, last_import())
    assert User.objects.filter(email="a.b@met.police.uk").exists()


def test_a_file_over_the_size_limit_is_refused(lead_client, monkeypatch):
    monkeypatch.setattr(enrolment_import, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(services.imports, "MAX_FILE_BYTES", 100)
    response = upload(lead_client, csv_file(HEADER + "a@met.police.uk,A B,PCSO,,,\n" * 5))
    assert response.status_code == 400
    assert "larger than" in response.context["form"].errors["file"][0]


def test_a_file_over_the_row_limit_is_refused(lead_client, monkeypatch):
    monkeypatch.setattr(enrolment_import.reading, "MAX_ROWS", 3)
    rows = "".join(f"p{i}@met.police.uk,P {i},PCSO,,,\n" for i in range(4))
    response = upload(lead_client, csv_file(HEADER + rows))
    assert response.status_code == 400
    assert "more than 3 rows" in response.context["form"].errors["file"][0]


# --- Leavers ------------------------------------------------------------------------------


def test_a_row_marked_as_left_deactivates_and_releases_required_modules(lead_client, module_tree):
    leaver = met_learner("leaver@met.police.uk")
    PathwayStep.objects.create(
        pathway=Pathway.objects.create(role="response-officer"),
        module=module_tree.module,
        days_to_complete=10,
    )
    services.enrolments_sync()
    text = (
        "email,name,role,left\n"
        "leaver@met.police.uk,,,yes\n"
        "never@met.police.uk,Nev Er,PCSO,2027-01-01\n"
    )

    upload(lead_client, csv_file(text))
    imported = last_import()
    assert (imported.preview["leaving"], imported.preview["changed"]) == (1, 1)
    assert imported.preview["unchanged"] == 1  # a leaver who never had an account
    apply(lead_client, imported)

    leaver.refresh_from_db()
    assert not leaver.is_active
    assert leaver.learner_profile.left_on == timezone.localdate()
    assert not ModuleProgress.objects.get(learner=leaver).required
    assert not User.objects.filter(email="never@met.police.uk").exists()


def test_deactivate_everyone_not_in_the_file_shows_the_count_first(lead_client, lead):
    met_learner("stays@met.police.uk")
    gone = met_learner("gone@met.police.uk")
    gmp = learner("gmp")
    lead_learner = met_learner("lead.too@met.police.uk")
    TrainingLead.objects.create(user=lead_learner).forces.add(force("met"))
    staff = met_learner("staff@met.police.uk")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    text = "email,name,role\nstays@met.police.uk,,\n"

    response = upload(lead_client, csv_file(text), deactivate_missing=True)
    imported = last_import()
    assert imported.preview["deactivate"] == 1
    page = lead_client.get(response["Location"]).content.decode()
    assert "Applying will deactivate 1 learner of Metropolitan Police Service" in page
    assert User.objects.get(pk=gone.pk).is_active
    apply(lead_client, imported)

    active = dict(User.objects.values_list("email", "is_active"))
    assert active["gone@met.police.uk"] is False
    assert active["stays@met.police.uk"] and active[gmp.email]
    assert active["lead.too@met.police.uk"] and active["staff@met.police.uk"]
    assert active[lead.email]
    assert LearnerProfile.objects.get(user=gone).left_on == timezone.localdate()


def test_a_leaver_back_in_the_file_is_reactivated(lead_client):
    back = met_learner("back@met.police.uk")
    User.objects.filter(pk=back.pk).update(is_active=False)
    LearnerProfile.objects.filter(user=back).update(left_on=datetime.date(2026, 1, 1))
    upload(lead_client, csv_file("email,name,role,left\nback@met.police.uk,,,no\n"))
    apply(lead_client, last_import())
    back.refresh_from_db()
    assert back.is_active and back.learner_profile.left_on is None


# --- Scope --------------------------------------------------------------------------------


def test_editors_are_refused_and_anonymous_visitors_are_sent_to_sign_in(client, met_domain):
    editor = UserFactory()
    editor.groups.add(Group.objects.get(name="Editors"))
    client.force_login(editor)
    for response in (
        client.get(reverse("courses_enrolment_upload")),
        upload(client, csv_file(HEADER + "a.b@met.police.uk,A B,PCSO,,,\n")),
    ):
        # Wagtail's admin answers a PermissionDenied with a redirect home and a message.
        assert (response.status_code, response["Location"]) == (302, reverse("wagtailadmin_home"))
    assert not EnrolmentImport.objects.exists()
    assert (
        AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, user_id=editor.pk).count() == 2
    )
    menu = client.get(reverse("wagtailadmin_home")).content.decode()
    assert "Enrol from HR file" not in menu
    client.logout()
    response = client.get(reverse("courses_enrolment_upload"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_lead_cannot_upload_for_or_see_another_forces_import(client, lead_client, lead):
    gmp_lead = make_lead("gmp")
    client_gmp = type(client)()
    client_gmp.force_login(gmp_lead)
    response = upload(client_gmp, csv_file(HEADER), force_code="met")
    assert response.status_code == 400
    assert response.context["form"].errors["force"] == ["Choose one of your forces."]
    page = client_gmp.get(reverse("courses_enrolment_upload")).content.decode()
    assert "Metropolitan" not in page

    upload(lead_client, csv_file(HEADER + "a.b@met.police.uk,A B,PCSO,,,\n"))
    imported = last_import()
    preview_url = reverse("courses_enrolment_import", args=[imported.pk])
    assert client_gmp.get(preview_url).status_code == 404
    assert apply(client_gmp, imported).status_code == 404
    assert not User.objects.filter(email="a.b@met.police.uk").exists()
    # A lead whose force was taken away no longer sees its imports either.
    lead.training_lead.forces.set([force("gmp")])
    assert lead_client.get(preview_url).status_code == 404


def test_the_upload_page_lists_recent_files_in_few_queries(lead_client, django_assert_num_queries):
    for i in range(3):
        upload(lead_client, csv_file(HEADER + f"p{i}@met.police.uk,P Q,PCSO,,,\n"))
    # Session, user, 2 permission lookups, Wagtail's user profile, locale and 2 menu permission
    # lookups; the view's and the menu's lead checks; the force choices (read twice by the
    # rendered select); the recent imports with their forces in one query. None per row.
    with django_assert_num_queries(13):
        response = lead_client.get(reverse("courses_enrolment_upload"))
    assert response.content.decode().count("staff.csv") == 3


# --- Invitations --------------------------------------------------------------------------


def test_new_learners_get_one_invitation_and_can_set_a_password(lead_client, client):
    text = HEADER + "sam@met.police.uk,Sam Okafor,PCSO,,,\nleft@met.police.uk,Lef T,PCSO,,,\n"
    upload(lead_client, csv_file(text))
    apply(lead_client, last_import())
    User.objects.filter(email="left@met.police.uk").update(is_active=False)
    met_learner("registered@met.police.uk")  # signed up herself: has a password
    mail.outbox.clear()
    now = timezone.now()

    assert services.invitations_send(now=now) == 1
    assert services.invitations_send(now=now) == 0  # idempotent

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["sam@met.police.uk"]
    assert message.subject == "DA Matters: Your account is ready: choose a password"
    assert "Hello Sam Okafor," in message.body
    assert "Metropolitan Police Service has added you to DA Matters" in message.body
    assert "The link works for 3 days, and only once." in message.body
    assert "/accounts/password/reset/" in message.body
    assert LearnerProfile.objects.get(user__email="sam@met.police.uk").invited_at == now

    link = re.search(r"https?://\S+/password/reset/key/\S+/", message.body).group(0)
    response = client.get(urlsplit(link).path)
    assert response.status_code == 302
    form_url = response["Location"]
    response = client.post(
        form_url,
        {"password1": "a-long-unusual-passphrase", "password2": "a-long-unusual-passphrase"},
    )
    assert response.status_code == 302
    user = User.objects.get(email="sam@met.police.uk")
    assert user.check_password("a-long-unusual-passphrase")
    assert client.login(username=user.username, password="a-long-unusual-passphrase")
    # Used once: the same link no longer works.
    client.logout()
    again = client.get(urlsplit(link).path, follow=True)
    assert "password" in again.content.decode().lower()
    assert not services.invitations_pending().exists()


def test_the_send_invitations_command_also_removes_old_files(lead_client):
    from django.core.management import call_command

    upload(lead_client, csv_file(HEADER + "a.b@met.police.uk,A B,PCSO,,,\n"))
    imported = last_import()
    EnrolmentImport.objects.filter(pk=imported.pk).update(
        created_at=timezone.now() - datetime.timedelta(days=2)
    )
    out = io.StringIO()
    call_command("send_invitations", stdout=out)
    assert out.getvalue().strip() == "Sent 0 invitation(s); removed 1 old HR file(s)."
    imported.refresh_from_db()
    assert not imported.file and imported.preview["error_rows"] == []
    assert imported.preview["new"] == 1  # counts stay
    assert services.enrolment_imports_purge() == 0


# --- Scale --------------------------------------------------------------------------------


def write_hr_file(path, rows: int, *, first: int = 0) -> File:
    roles = ["PCSO", "Response officer", "call handler", "Police staff", "supervisor"]
    with path.open("w", encoding="utf-8") as handle:
        handle.write(HEADER)
        for i in range(first, first + rows):
            handle.write(
                f"officer{i}@met.police.uk,Officer {i},{roles[i % 5]},MP{i:06d},"
                f"Team {i % 40},2027-01-{1 + i % 28:02d}\n"
            )
    return path


def run_import(path, user) -> EnrolmentImport:
    """Preview then apply the file, as the lead's two steps do."""
    with path.open("rb") as handle:
        imported = services.enrolment_import_create(
            force=force("met"),
            user=user,
            upload=File(handle, name=path.name),
            deactivate_missing=False,
        )
    services.enrolment_import_apply(enrolment_import=imported, user=user)
    imported.refresh_from_db()
    return imported


def test_a_file_of_several_chunks_imports_and_reruns_unchanged(lead, tmp_path, module_tree):
    """Rows across chunk edges are all read and written once. The time of a 40,000-row file
    and the memory of 2,000 against 20,000 rows are measured by bench/enrolment_import.py."""
    PathwayStep.objects.create(
        pathway=Pathway.objects.create(role="pcso"), module=module_tree.module, days_to_complete=30
    )
    rows = 2 * enrolment_import.CHUNK_ROWS + 7
    path = write_hr_file(tmp_path / "met-hr.csv", rows)

    imported = run_import(path, lead)

    assert imported.result["new"] == rows and imported.result["errors"] == 0
    assert LearnerProfile.objects.filter(force__code="met").count() == rows
    pcsos = sum(1 for i in range(rows) if i % 5 == 0)
    assert ModuleProgress.objects.filter(required=True).count() == pcsos
    rerun = run_import(path, lead)
    assert rerun.result["unchanged"] == rows
