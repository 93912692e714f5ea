"""Force training leads: the role (granted and revoked by administrators only), signing in, the
lead's learners screens, and editors and reviewers seeing no learner data."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import ModelLogEntry
from wagtail.permissions import policy_registry

from courses import services
from courses.models import (
    TRAINING_LEADS_GROUP,
    AuditAction,
    AuditEvent,
    Force,
    LearnerProfile,
    LearnerRole,
    ModuleProgress,
    Pathway,
    PathwayStep,
    TrainingLead,
)
from tests.courses.test_lead_isolation import admin_urls, body_of
from tests.factories import LearnerProfileFactory, UserFactory, force, learner

pytestmark = pytest.mark.django_db
PASSWORD = "correct-horse-battery"  # noqa: S105 (the factories' test password)


def verified(user):
    user.emailaddress_set.create(email=user.email, verified=True, primary=True)
    return user


def make_lead(*codes, email="lead@met.demo.example", granted_by=None):
    user = verified(UserFactory(username=email, email=email))
    services.lead_grant(user=user, forces=[force(code) for code in codes], granted_by=granted_by)
    return user


@pytest.fixture
def admin_user(db):
    return verified(UserFactory(username="root", email="root@demo.example", is_superuser=True))


@pytest.fixture
def met_lead(db):
    return make_lead("met")


@pytest.fixture
def people(db):
    """Two learners in each of met and gmp, with names and numbers that are easy to spot."""
    rows = {}
    for code in ("met", "gmp"):
        for i in (1, 2):
            email = f"person{i}@{code}.demo.example"
            rows[f"{code}{i}"] = LearnerProfileFactory(
                force=force(code),
                user__username=email,
                user__email=email,
                user__first_name=f"{code.title()}first{i}",
                user__last_name=f"{code.title()}last{i}",
                staff_number=f"{code.upper()}-{i:04d}",
                team=f"{code} team {i}",
            )
    return rows


def refused(response) -> bool:
    """Wagtail's admin answers a permission failure with its own refusal: back to the admin's
    dashboard with "Sorry, you do not have permission to access this area" (recorded in the
    audit log as access denied, courses.audit), and 403 to a script."""
    return response.status_code == 403 or (
        response.status_code == 302 and response["Location"] == reverse("wagtailadmin_home")
    )


def editor_of(group_name):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group_name))
    return user


# --- Granting and revoking the role -----------------------------------------------------------


def test_grant_makes_a_lead_with_admin_access_an_audit_trail_and_history(admin_user):
    user = UserFactory(email="kim@met.demo.example")
    result = services.lead_grant(
        user=user, forces=[force("met"), force("gmp")], granted_by=admin_user, path="/x/"
    )
    assert result.created and result.forces_added == ("gmp", "met")
    assert user.has_perm("wagtailadmin.access_admin")
    assert user.groups.filter(name=TRAINING_LEADS_GROUP).exists()
    assert TrainingLead.objects.get(user=user).granted_by == admin_user
    assert set(
        AuditEvent.objects.filter(action=AuditAction.LEAD_GRANTED).values_list(
            "force_code", "user_id", "subject_user_id"
        )
    ) == {("met", admin_user.pk, user.pk), ("gmp", admin_user.pk, user.pk)}
    assert ModelLogEntry.objects.filter(action="wagtail.create", object_id=str(result.lead.pk))


def test_granting_the_same_forces_again_records_nothing(admin_user, met_lead):
    before = AuditEvent.objects.count(), ModelLogEntry.objects.count()
    result = services.lead_grant(user=met_lead, forces=[force("met")], granted_by=admin_user)
    assert not result.created and result.forces_added == result.forces_removed == ()
    assert (AuditEvent.objects.count(), ModelLogEntry.objects.count()) == before


def test_changing_forces_records_what_was_added_and_removed(admin_user, met_lead):
    result = services.lead_grant(user=met_lead, forces=[force("gmp")], granted_by=admin_user)
    assert (result.forces_added, result.forces_removed) == (("gmp",), ("met",))
    assert list(met_lead.training_lead.forces.values_list("code", flat=True)) == ["gmp"]
    assert AuditEvent.objects.filter(action=AuditAction.LEAD_REVOKED, force_code="met").exists()
    entry = ModelLogEntry.objects.get(action=services.LEAD_GRANT_ACTION)
    assert entry.data == {"added": ["gmp"], "removed": ["met"]}


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"forces": []}, "Choose at least one force"),
        ({"user_is_active": False}, "deactivated"),
        ({"user_is_superuser": True}, "Administrators already see every force"),
    ],
)
def test_grant_is_refused_with_a_reason(kwargs, message):
    user = UserFactory(
        is_active=kwargs.pop("user_is_active", True),
        is_superuser=kwargs.pop("user_is_superuser", False),
    )
    with pytest.raises(services.LeadGrantRefused, match=message):
        services.lead_grant(user=user, forces=kwargs.get("forces", [force("met")]))
    assert not TrainingLead.objects.exists()


def test_revoke_removes_the_scope_and_admin_access(admin_user, met_lead):
    assert services.lead_revoke(user=met_lead, revoked_by=admin_user)
    met_lead = type(met_lead).objects.get(pk=met_lead.pk)  # permissions are cached per object
    assert not TrainingLead.objects.filter(user=met_lead).exists()
    assert not met_lead.has_perm("wagtailadmin.access_admin")
    assert AuditEvent.objects.filter(
        action=AuditAction.LEAD_REVOKED, force_code="met", subject_user_id=met_lead.pk
    ).exists()
    assert ModelLogEntry.objects.filter(action=services.LEAD_REVOKE_ACTION).exists()
    assert not services.lead_revoke(user=met_lead, revoked_by=admin_user)  # nothing twice


def test_an_administrator_grants_changes_and_revokes_in_the_admin(client, admin_user):
    kim = UserFactory(email="Kim.Lee@met.demo.example", first_name="Kim", last_name="Lee")
    client.force_login(admin_user)
    add = reverse("training_leads:add")
    page = client.get(add)
    assert page.status_code == 200
    assert "<select" not in page.text.split('id="id_email"')[0][-2000:]  # an email box, no list

    met, gmp = force("met"), force("gmp")
    response = client.post(add, {"email": "kim.lee@met.demo.example", "forces": [met.pk]})
    assert response.status_code == 302
    lead = TrainingLead.objects.get(user=kim)
    assert list(lead.forces.all()) == [met]

    listing = client.get(reverse("training_leads:index"))
    assert "Kim Lee" in listing.text and "Metropolitan" in listing.text

    edit = reverse("training_leads:edit", args=[lead.pk])
    assert client.get(edit).status_code == 200
    assert client.post(edit, {"forces": [met.pk, gmp.pk]}).status_code == 302
    assert set(lead.forces.all()) == {met, gmp}

    revoke = reverse("training_leads:delete", args=[lead.pk])
    assert "Revoke the training lead role from Kim Lee" in client.get(revoke).text
    assert client.post(revoke).status_code == 302
    assert not TrainingLead.objects.exists()


@pytest.mark.parametrize(
    ("email", "error"),
    [
        ("nobody@met.demo.example", "No account uses this email address"),
        ("lead@met.demo.example", "already a training lead"),
        ("not an email", "Enter a valid email address"),
    ],
)
def test_the_grant_form_says_what_is_wrong(client, admin_user, met_lead, email, error):
    client.force_login(admin_user)
    response = client.post(reverse("training_leads:add"), {"email": email, "forces": []})
    assert response.status_code == 200
    assert error in response.text
    assert "Choose at least one force for the lead." in response.text


def test_the_grant_form_refuses_an_administrator(client, admin_user):
    other = UserFactory(email="boss@demo.example", is_superuser=True)
    client.force_login(admin_user)
    response = client.post(
        reverse("training_leads:add"), {"email": other.email, "forces": [force("met").pk]}
    )
    assert response.status_code == 200
    assert "Administrators already see every force" in response.text


@pytest.mark.parametrize("who", ["lead", "editor", "reviewer"])
def test_only_administrators_reach_the_training_leads_screens(client, met_lead, who):
    user = {
        "lead": met_lead,
        "editor": editor_of("Editors"),
        "reviewer": editor_of("Reviewers"),
    }[who]
    client.force_login(user)
    lead = met_lead.training_lead
    for url in [
        reverse("training_leads:index"),
        reverse("training_leads:add"),
        reverse("training_leads:edit", args=[lead.pk]),
        reverse("training_leads:delete", args=[lead.pk]),
    ]:
        assert refused(client.get(url)), url
        assert refused(client.post(url, {"forces": [force("gmp").pk]})), url
        assert client.get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest").status_code == 403
    assert list(lead.forces.values_list("code", flat=True)) == ["met"]
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("training_leads:index") not in home.text  # no menu item


def test_the_lead_models_permissions_are_not_offered_to_groups(client, admin_user):
    client.force_login(admin_user)
    page = client.get(reverse("wagtailusers_groups:add"))
    for model in (TrainingLead, LearnerProfile):
        content_type = ContentType.objects.get_for_model(model)
        for permission in Permission.objects.filter(content_type=content_type):
            assert f'value="{permission.pk}"' not in page.text, permission.codename


# --- Signing in as a lead ---------------------------------------------------------------------


def test_a_lead_signs_in_at_the_staff_page_under_the_same_rules(met_lead):
    client = Client()
    response = client.post("/admin/login/", {"login": met_lead.email, "password": PASSWORD})
    assert response["Location"] == "/admin/"
    assert AuditEvent.objects.filter(
        action=AuditAction.SIGN_IN, user_id=met_lead.pk, path="/admin/login/"
    ).exists()
    home = client.get("/admin/")
    assert home.status_code == 200
    assert reverse("force_learners:index") in home.text  # the Learners menu item


def test_a_lead_is_held_to_the_failed_sign_in_limit(met_lead):
    client = Client()
    for _ in range(5):
        client.post("/admin/login/", {"login": met_lead.email, "password": "wrong"})
    response = client.post("/admin/login/", {"login": met_lead.email, "password": PASSWORD})
    assert SESSION_KEY not in client.session
    assert "Too many failed login attempts" in response.text


def test_a_revoked_lead_cannot_use_the_admin(met_lead):
    services.lead_revoke(user=met_lead)
    client = Client()
    client.post("/admin/login/", {"login": met_lead.email, "password": PASSWORD})
    assert client.get(reverse("force_learners:index")).status_code in (302, 403)
    assert client.get("/admin/login/").status_code == 403  # "this account cannot use..."


# --- The lead's learners ----------------------------------------------------------------------


def test_a_lead_lists_only_their_forces_learners(client, met_lead, people):
    client.force_login(met_lead)
    page = client.get(reverse("force_learners:index"))
    assert page.status_code == 200
    for key in ("met1", "met2"):
        profile = people[key]
        for text in (profile.user.email, profile.staff_number, profile.user.last_name):
            assert text in page.text
    for key in ("gmp1", "gmp2"):
        assert people[key].user.email not in page.text
        assert people[key].staff_number not in page.text
    assert reverse("force_learners:edit", args=[people["met1"].pk]) in page.text


def test_an_administrator_lists_every_force(client, admin_user, people):
    client.force_login(admin_user)
    page = client.get(reverse("force_learners:index"))
    for profile in people.values():
        assert profile.user.email in page.text


def test_the_listing_takes_the_same_queries_for_one_row_or_fifty(
    client, met_lead, people, django_assert_num_queries
):
    client.force_login(met_lead)
    url = reverse("force_learners:index_results")
    client.get(url)  # warm Wagtail's per-process caches (site, content types)
    # The session and the user (2), Wagtail's admin-access check on the user's and groups'
    # permissions (2) and its user profile (1), the lead's force ids for the policy (1), the
    # count and the page of rows with user and force joined (2): 8, however many rows.
    with django_assert_num_queries(8):
        first = client.get(url)
    for i in range(48):
        LearnerProfileFactory(force=force("met"), user__email=f"more{i}@met.demo.example")
    with django_assert_num_queries(8):
        many = client.get(url)
    assert first.status_code == many.status_code == 200
    assert many.text.count("@met.demo.example") >= 50


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ({"q": "metlast1"}, ["met1"], ["met2"]),
        ({"q": "MET-0002"}, ["met2"], ["met1"]),
        ({"q": "person1@met"}, ["met1"], ["met2"]),
        ({"team": "team 2"}, ["met2"], ["met1"]),
        ({"role": LearnerRole.PCSO}, ["met2"], ["met1"]),
        ({"status": "left"}, ["met1"], ["met2"]),
        ({"status": "active"}, ["met2"], ["met1"]),
        # Another force's id is not a choice: the filter is ignored and the scope still holds.
        ({"force": "GMP"}, ["met1", "met2"], ["gmp1", "gmp2"]),
    ],
)
def test_search_and_filters(client, met_lead, people, query, shown, hidden):
    LearnerProfile.objects.filter(pk=people["met2"].pk).update(role=LearnerRole.PCSO)
    LearnerProfile.objects.filter(pk=people["met1"].pk).update(left_on=datetime.date(2026, 1, 5))
    if query.get("force") == "GMP":
        query = {"force": force("gmp").pk}
    client.force_login(met_lead)
    page = client.get(reverse("force_learners:index_results"), query)
    assert page.status_code == 200
    for key in shown:
        assert people[key].user.email in page.text, key
    for key in hidden + ["gmp1", "gmp2"]:
        assert people[key].user.email not in page.text, key


def test_a_lead_of_two_forces_filters_by_force(client, people):
    lead = make_lead("met", "gmp", email="both@demo.example")
    client.force_login(lead)
    page = client.get(reverse("force_learners:index_results"), {"force": force("gmp").pk})
    assert people["gmp1"].user.email in page.text
    assert people["met1"].user.email not in page.text


def test_csv_and_xlsx_downloads_hold_only_the_leads_learners(client, met_lead, people):
    LearnerProfile.objects.filter(pk=people["met1"].pk).update(team="=HYPERLINK(1)")
    client.force_login(met_lead)
    response = client.get(reverse("force_learners:index"), {"export": "csv"})
    assert response.status_code == 200
    text = b"".join(response.streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(text)))
    assert {row["Email"] for row in rows} == {
        people["met1"].user.email,
        people["met2"].user.email,
    }
    assert rows[0].keys() >= {"First name", "Force", "Role", "Staff number", "Active or left"}
    assert "'=HYPERLINK(1)" in text  # a spreadsheet would run it as a formula otherwise
    xlsx = client.get(reverse("force_learners:index"), {"export": "xlsx"})
    assert xlsx.status_code == 200
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


def test_a_lead_edits_a_learners_details(client, met_lead, people):
    profile = people["met1"]
    client.force_login(met_lead)
    url = reverse("force_learners:edit", args=[profile.pk])
    page = client.get(url)
    assert page.status_code == 200 and profile.user.email in page.text
    response = client.post(
        url,
        {"role": LearnerRole.SUPERVISOR, "team": "Response B", "staff_number": "MET-9"},
    )
    assert response.status_code == 302
    profile.refresh_from_db()
    assert (profile.role, profile.team, profile.staff_number) == (
        LearnerRole.SUPERVISOR,
        "Response B",
        "MET-9",
    )
    assert ModelLogEntry.objects.filter(action="wagtail.edit", object_id=str(profile.pk)).exists()


def test_marking_a_learner_as_left_deactivates_and_reactivates(client, met_lead, people):
    profile = people["met1"]
    client.force_login(met_lead)
    url = reverse("force_learners:edit", args=[profile.pk])
    data = {"role": profile.role, "team": "", "staff_number": ""}
    missing = client.post(url, {**data, "has_left": "on"})
    assert "Enter the date they left" in missing.text
    response = client.post(url, {**data, "has_left": "on", "left_on": "2026-03-01"}, follow=True)
    assert "they can no longer sign in" in response.text
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.left_on == datetime.date(2026, 3, 1) and not profile.user.is_active
    response = client.post(url, data, follow=True)
    assert "Their account is active again" in response.text
    profile.refresh_from_db()
    profile.user.refresh_from_db()
    assert profile.left_on is None and profile.user.is_active


def test_a_lead_cannot_mark_another_lead_as_left(client, met_lead):
    other = make_lead("met", email="other.lead@met.demo.example")
    profile = LearnerProfileFactory(user=other, force=force("met"))
    client.force_login(met_lead)
    response = client.post(
        reverse("force_learners:edit", args=[profile.pk]),
        {"role": profile.role, "has_left": "on", "left_on": "2026-03-01"},
    )
    assert response.status_code == 200
    assert "ask an administrator" in response.text
    other.refresh_from_db()
    assert other.is_active


def test_a_role_change_brings_required_modules_in_line(client, met_lead, module_tree):
    pathway = Pathway.objects.create(role=LearnerRole.SUPERVISOR)
    PathwayStep.objects.create(pathway=pathway, module=module_tree.module, days_to_complete=30)
    profile = LearnerProfileFactory(force=force("met"), role=LearnerRole.PCSO)
    client.force_login(met_lead)
    client.post(
        reverse("force_learners:edit", args=[profile.pk]),
        {"role": LearnerRole.SUPERVISOR, "team": "", "staff_number": ""},
    )
    row = ModuleProgress.objects.get(learner=profile.user, module=module_tree.module)
    assert row.required and row.due_at > timezone.now()


def test_another_forces_learner_is_not_found(client, met_lead, people):
    gmp = people["gmp1"]
    client.force_login(met_lead)
    url = reverse("force_learners:edit", args=[gmp.pk])
    assert client.get(url).status_code == 404
    response = client.post(
        url, {"role": LearnerRole.PCSO, "has_left": "on", "left_on": "2026-01-01"}
    )
    assert response.status_code == 404
    gmp.refresh_from_db()
    gmp.user.refresh_from_db()
    assert gmp.role == LearnerRole.RESPONSE_OFFICER and gmp.user.is_active


def test_an_erased_learner_is_not_listed(client, met_lead, people):
    services.learner_erase(user=people["met1"].user)
    client.force_login(met_lead)
    assert client.get(reverse("force_learners:edit", args=[people["met1"].pk])).status_code == 404


# --- Editors and reviewers see no learner data -----------------------------------------------


@pytest.mark.parametrize("group_name", ["Editors", "Reviewers"])
def test_editors_and_reviewers_are_refused_every_lead_screen(client, people, met_lead, group_name):
    client.force_login(editor_of(group_name))
    for url in [
        reverse("force_learners:index"),
        reverse("force_learners:index_results"),
        reverse("force_learners:index") + "?export=csv",
        reverse("force_learners:edit", args=[people["met1"].pk]),
        reverse("training_leads:index"),
        reverse("training_leads:add"),
        reverse("training_leads:edit", args=[met_lead.training_lead.pk]),
    ]:
        assert refused(client.get(url)), url
    home = client.get(reverse("wagtailadmin_home"))
    assert reverse("force_learners:index") not in home.text


@pytest.mark.parametrize("group_name", ["Editors", "Reviewers"])
def test_editors_and_reviewers_see_no_learner_email_anywhere_in_the_admin(
    client, people, group_name
):
    client.force_login(editor_of(group_name))
    emails = [profile.user.email for profile in people.values()]
    client.raise_request_exception = False
    for number, code in ((people["met1"].pk, "met"), (people["gmp1"].pk, "gmp")):
        for url in admin_urls(number=number, code=code):
            body = body_of(client.get(url))
            for email in emails:
                assert email not in body, url


# --- Forces: email domains are for administrators ---------------------------------------------


def test_only_administrators_may_change_a_force(client, admin_user, met_lead):
    met = force("met")
    edit = reverse("wagtailsnippets_courses_force:edit", args=[met.pk])
    data = {
        "name": met.name,
        "code": met.code,
        "country": met.country,
        "is_active": "on",
        "email_domains-TOTAL_FORMS": "1",
        "email_domains-INITIAL_FORMS": "0",
        "email_domains-MIN_NUM_FORMS": "0",
        "email_domains-MAX_NUM_FORMS": "1000",
        "email_domains-0-domain": "met.police.uk",
        "email_domains-0-ORDER": "1",
    }
    for user in (met_lead, editor_of("Editors"), editor_of("Reviewers")):
        client.force_login(user)
        assert refused(client.get(edit))
        assert refused(client.post(edit, data))
        assert refused(client.get(reverse("wagtailsnippets_courses_force:add")))
    assert not met.email_domains.exists()
    client.force_login(admin_user)
    assert client.post(edit, data).status_code == 302
    assert list(met.email_domains.values_list("domain", flat=True)) == ["met.police.uk"]


def test_a_group_given_change_force_still_cannot_edit_forces():
    group = Group.objects.create(name="Someone's idea")
    group.permissions.add(
        *Permission.objects.filter(
            content_type=ContentType.objects.get_for_model(Force),
        )
    )
    user = UserFactory()
    user.groups.add(group, Group.objects.get(name="Editors"))
    policy = policy_registry.get_by_type(Force)
    assert policy.user_has_permission(user, "view")
    assert not policy.user_has_any_permission(user, ["add", "change", "delete"])
    assert set(policy.users_with_any_permission(["change"])) == set()
    assert user in policy.users_with_any_permission(["view", "change"])


def test_editors_still_choose_a_force_for_a_support_service(client):
    client.force_login(editor_of("Editors"))
    assert client.get(reverse("wagtailsnippets_courses_force:list")).status_code == 200
    learner("met")  # no learner data on that list
