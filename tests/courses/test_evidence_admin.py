"""The lead's critical-mass screens (plan, headcounts), the critical-mass panel, and the API
key's write scope in the admin and the command."""

import datetime
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone

from courses import services
from courses.dashboard_admin.panels import critical_mass as panel_module
from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    ApiKey,
    AuditAction,
    AuditEvent,
    CriticalMassPlan,
    Headcount,
    HeadcountSource,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.conftest import build_module_tree, complete_module
from tests.factories import UserFactory, api_key, force, learner, training_lead

pytestmark = pytest.mark.django_db


def plan_url(code="met"):
    return reverse("force_dashboard:evidence_plan", args=[code])


def headcounts_url(code="met"):
    return reverse("force_dashboard:evidence_headcounts", args=[code])


@pytest.fixture
def lead_client(client):
    client.force_login(training_lead("met", first_name="Priya", last_name="Shah"))
    return client


PLAN = {
    "launch_date": "2026-03-02",
    "first_responder_roles": ["response-officer", "pcso", "call-handler"],
    "target_percent": "80",
    "window_days": "120",
    "champion_target_percent": "12",
}


def test_a_lead_sets_the_plan(lead_client):
    page = lead_client.get(plan_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert 'type="checkbox"' in html and "Response officer" in html
    assert "Not given" not in html  # not a job role

    response = lead_client.post(plan_url(), PLAN)

    assert response.status_code == 302
    assert response["Location"].endswith(
        reverse("force_dashboard:evidence", args=["met"]) + "#critical-mass"
    )
    plan = CriticalMassPlan.objects.get(force=force("met"))
    assert (plan.launch_date, plan.target_percent, plan.window_days) == (
        datetime.date(2026, 3, 2),
        80,
        120,
    )
    assert plan.first_responder_roles == ["response-officer", "pcso", "call-handler"]
    assert plan.champion_target_percent == 12
    assert plan.updated_by.first_name == "Priya"
    assert AuditEvent.objects.filter(
        action=AuditAction.CRITICAL_MASS_PLAN_SAVED, force_code="met"
    ).exists()
    # The form shows the saved plan next time.
    assert 'value="2026-03-02"' in lead_client.get(plan_url()).content.decode()


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"first_responder_roles": []}, "Choose at least one role as first responders."),
        ({"first_responder_roles": ["champion"]}, "Select a valid choice"),
        ({"target_percent": "0"}, "greater than or equal to 1"),
        ({"window_days": "731"}, "less than or equal to 730"),
        ({"launch_date": "31/02/2026"}, "Enter a valid date"),
    ],
)
def test_a_bad_plan_shows_errors_and_writes_nothing(lead_client, change, message):
    response = lead_client.post(plan_url(), {**PLAN, **change})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not CriticalMassPlan.objects.exists()


def test_a_lead_sets_several_headcounts_and_sees_the_history(lead_client):
    today = timezone.localdate()
    response = lead_client.post(
        headcounts_url(),
        {"as_of": today.isoformat(), "response-officer": "1200", "pcso": "300", "staff": ""},
    )
    assert response.status_code == 302
    stored = {h.role: h for h in Headcount.objects.filter(force=force("met"))}
    assert {role: h.count for role, h in stored.items()} == {"response-officer": 1200, "pcso": 300}
    assert stored["pcso"].source == HeadcountSource.ADMIN
    services.headcount_set(
        force=force("met"),
        role="pcso",
        count=280,
        as_of=today - datetime.timedelta(days=90),
        api_key=api_key("met", name="HR nightly", can_write=True).api_key,
    )

    html = lead_client.get(headcounts_url()).content.decode()

    assert "Priya Shah" in html  # who set the figures
    assert "API key “HR nightly”" in html
    assert html.index("1200") < html.index("280")  # newest first


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"pcso": "300"}, "Give the date these headcounts were true."),
        ({"as_of": "{today}"}, "Give at least one role&#x27;s headcount."),
        ({"as_of": "{today}", "pcso": "-3"}, "greater than or equal to 0"),
        ({"as_of": "{today}", "pcso": "100001"}, "less than or equal to 100000"),
        ({"as_of": "{future}", "pcso": "3"}, "is in the future"),
    ],
)
def test_bad_headcounts_show_errors_and_write_nothing(lead_client, data, message):
    days = {
        "{today}": timezone.localdate().isoformat(),
        "{future}": (timezone.localdate() + datetime.timedelta(days=5)).isoformat(),
    }
    response = lead_client.post(headcounts_url(), {k: days.get(v, v) for k, v in data.items()})
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Headcount.objects.exists()


@pytest.mark.parametrize("url", [plan_url, headcounts_url])
def test_scope_another_force_is_404_and_evaluators_may_not_change(client, url):
    client.force_login(training_lead("met"))
    assert client.get(url("gmp")).status_code == 404
    assert client.post(url("gmp"), PLAN).status_code == 404

    evaluator = UserFactory(is_staff=True)
    evaluator.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    client.force_login(evaluator)
    assert client.get(reverse("force_dashboard:evidence", args=["met"])).status_code == 200
    # Wagtail answers a refusal with a redirect to the admin home and a message.
    assert client.get(url("met")).status_code in (302, 403)
    assert client.post(url("met"), PLAN).status_code in (302, 403)
    assert (
        AuditEvent.objects.filter(action=AuditAction.ACCESS_DENIED, user_id=evaluator.pk).count()
        == 2
    )

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(url("gmp")).status_code == 200
    assert not CriticalMassPlan.objects.exists() and not Headcount.objects.exists()


# --- The panel ----------------------------------------------------------------------------------


@pytest.fixture
def launched(home_page):
    tree = build_module_tree(home_page, title="Core", lessons=1)
    PathwayStep.objects.create(
        pathway=Pathway.objects.create(role=LearnerRole.RESPONSE_OFFICER),
        module=tree.module,
        days_to_complete=28,
    )
    today = timezone.localdate()
    services.critical_mass_plan_save(
        force=force("met"),
        launch_date=today - datetime.timedelta(days=20),
        first_responder_roles=["response-officer", "pcso"],
        target_percent=75,
        window_days=91,
        champion_target_percent=10,
    )
    services.headcounts_set(
        force=force("met"), as_of=today, counts={"response-officer": 40, "pcso": 10}
    )
    for _ in range(3):
        complete_module(learner("met"), tree)
    return tree


def test_the_panel_shows_progress_pace_and_the_table(client, launched, django_assert_num_queries):
    lead = training_lead("met")
    met = force("met")
    request = RequestFactory().get("/")
    request.user = lead
    with django_assert_num_queries(8):
        context = panel_module.panel(force=met, now=timezone.now(), request=request)
    assert context["cm"].share == 6.0  # 3 of 50
    assert context["plan_url"] == plan_url()

    client.force_login(lead)
    html = client.get(reverse("force_dashboard:evidence", args=["met"])).content.decode()
    assert 'role="img"' in html and 'id="cm-title"' in html and 'id="cm-desc"' in html
    assert "6.0% trained; target 75%" in html
    assert '<th scope="row">Response officer</th>' in html
    assert "35 a week needed" not in html  # sanity: the figures below are the real ones
    cm = context["cm"]
    assert f"{cm.pace_needed} a week needed" in html
    assert f"{cm.current_pace} a week" in html
    assert cm.projected_date.strftime("%-d %b %Y") in html
    assert plan_url() in html and headcounts_url() in html
    assert "No national benchmark yet" in html


def test_evaluators_see_the_panel_without_the_change_links(client, launched):
    evaluator = UserFactory(is_staff=True)
    evaluator.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    client.force_login(evaluator)
    html = client.get(reverse("force_dashboard:evidence", args=["met"])).content.decode()
    assert "6.0% trained" in html
    assert plan_url() not in html and headcounts_url() not in html


# --- The write scope in the admin and the command ----------------------------------------------


def test_admin_grants_the_write_scope_only_when_ticked(client):
    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    for name, extra in (("Reader", {}), ("HR sync", {"can_write": "on"})):
        response = client.post(
            reverse("api_keys:add"),
            {"name": name, "forces": [force("met").pk], "expires_at": "", **extra},
        )
        assert response.status_code == 200
    assert not ApiKey.objects.get(name="Reader").can_write
    assert ApiKey.objects.get(name="HR sync").can_write
    assert "read and set headcounts" in response.content.decode()
    listing = client.get(reverse("api_keys:index")).content.decode()
    assert "Read only" in listing and "Read and set headcounts" in listing


@pytest.mark.parametrize(("args", "can_write"), [([], False), (["--write"], True)])
def test_the_command_grants_the_write_scope_with_write(args, can_write):
    out = StringIO()
    call_command("create_api_key", "--force", "met", "--name", "HR", *args, stdout=out)
    assert ApiKey.objects.get().can_write is can_write
    assert ("read and set headcounts" in out.getvalue()) is can_write
