"""Programme evaluators (SafeLives staff): the Evidence menu item, the national overview and
its scope, the evaluator's file, and that an evaluator who is not a lead never reaches a
learner-level screen or sees a learner's name."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupCollectionPermission, GroupPagePermission

from courses import selectors
from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    ROLE_GROUPS,
    AuditAction,
    AuditEvent,
    CriticalMassPlan,
    Force,
    LearnerProfile,
    LearnerRole,
)
from courses.selectors import evaluation
from tests.courses.evidence_world import (
    SMALL_FORCE,
    UK,
    evaluator,
    headcount,
    national_world,
    pathways,
    trained_learner,
)
from tests.courses.test_lead_isolation import (  # the lead isolation walk's helpers
    CHANGES,
    GMP_ID,
    MET_ID,
    admin_patterns,
    body_of,
    fill,
    gmp_and_met,  # noqa: F401 - a fixture
    gmp_state,
    leaks,
    secrets_of,
    takes_arguments,
)
from tests.factories import UserFactory, force, learner, training_lead

OVERVIEW = reverse("force_dashboard:evidence_overview")
FILE = reverse("force_dashboard:evaluator_file")
XHR = {"x-requested-with": "XMLHttpRequest"}  # Wagtail answers scripts' PermissionDenied: 403


@pytest.fixture
def world(module_tree):
    national_world(module_tree.module)
    return module_tree


def read_csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(body_of(response))))


# --- The menu item and who may see the overview ---------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("who", "shown"),
    [("lead", True), ("evaluator", True), ("superuser", True), ("editor", False)],
)
def test_the_evidence_menu_item_is_for_leads_evaluators_and_superusers(client, who, shown):
    user = {
        "lead": lambda: training_lead("met"),
        "evaluator": evaluator,
        "superuser": lambda: UserFactory(is_superuser=True),
        "editor": UserFactory,
    }[who]()
    if who == "editor":
        user.groups.add(Group.objects.get(name="Editors"))
    client.force_login(user)
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert (OVERVIEW in home) is shown
    if not shown:
        assert client.get(OVERVIEW, headers=XHR).status_code == 403


def test_an_evaluator_sees_every_force_against_the_national_benchmark(client, world):
    client.force_login(evaluator())
    page = client.get(OVERVIEW).content.decode()

    for found in Force.objects.all():
        assert reverse("force_dashboard:evidence", args=[found.code]) in page
    # Six forces meet k: 50, 55 ... 75 per cent trained; the median is 62.5.
    cm = selectors.critical_mass_benchmark(day=timezone.localdate())
    assert (cm.forces, cm.median) == (6, 62.5)
    assert f"<td>{cm.lower_quartile}%</td>" in page and "<td>62.5%</td>" in page
    assert "<td>75.0%</td>" in page  # Cumbria's own share, 15 of 20
    # Dyfed-Powys rests on a headcount of 5 and 3 trained: both figures are suppressed.
    small = page.split(force(SMALL_FORCE).name)[1].split("</tr>")[0]
    assert small.count("Fewer than 10") == 4 and "60.0%" not in small
    assert FILE in page  # the evaluator's file, for evaluators only


def test_the_overview_agrees_with_the_foundation_benchmarks(world):
    today = timezone.localdate()
    overview = evaluation.national_overview(day=today, forces=Force.objects.all())
    assert overview.critical_mass == selectors.critical_mass_benchmark(day=today)
    assert overview.champions == selectors.champions_benchmark(day=today)
    assert len(overview.forces) == Force.objects.count()


def test_a_lead_of_one_force_goes_to_its_evidence_page(client, world):
    client.force_login(training_lead("kent"))
    response = client.get(OVERVIEW)
    assert response.status_code == 302
    assert response["Location"] == reverse("force_dashboard:evidence", args=["kent"])


def test_a_lead_of_several_forces_sees_only_theirs_and_no_file(client, world):
    client.force_login(training_lead("kent", "essex"))
    page = client.get(OVERVIEW).content.decode()
    assert force("kent").name in page and force("essex").name in page
    assert force("met").name not in page and force(SMALL_FORCE).name not in page
    assert FILE not in page
    assert client.get(FILE, headers=XHR).status_code == 403


# Every admin page: session, user, permissions (2), Wagtail's user profile; the menu: locale,
# page and collection permissions, the lead's force ids (none), the evaluators' group.
ADMIN_PAGE = 5 + 5


def test_the_overview_costs_the_same_queries_whatever_the_number_of_learners(
    client, world, django_assert_num_queries
):
    client.force_login(evaluator())
    client.get(OVERVIEW)  # warm Wagtail's per-process caches
    # + the forces the evaluator may see (their group, then the forces), whether they are an
    # evaluator, and selectors.national_shares' four (plans, headcounts, trained, forces),
    # which are then kept in the cache.
    cache.clear()
    with django_assert_num_queries(ADMIN_PAGE + 3 + 4):
        assert client.get(OVERVIEW).status_code == 200
    for code in ("met", "gmp", SMALL_FORCE):
        trained_learner(code, world.module)
    cache.clear()
    with django_assert_num_queries(ADMIN_PAGE + 3 + 4):
        assert client.get(OVERVIEW).status_code == 200
    with django_assert_num_queries(ADMIN_PAGE + 3):
        assert client.get(OVERVIEW).status_code == 200


# --- The group gives admin access only ------------------------------------------------------------


def test_the_evaluators_group_gives_admin_access_and_nothing_else(client, db):
    group = Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP)
    assert [f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()] == [
        "wagtailadmin.access_admin"
    ]
    assert not GroupPagePermission.objects.filter(group=group).exists()
    assert not GroupCollectionPermission.objects.filter(group=group).exists()
    member = evaluator()
    assert member.get_all_permissions() == {"wagtailadmin.access_admin"}
    assert not selectors.lead_forces(member).exists()
    client.force_login(member)
    assert client.get(reverse("wagtailadmin_home")).status_code == 200
    for url in (
        reverse("wagtailusers_users:index"),
        reverse("wagtailusers_groups:index"),
        reverse("wagtailadmin_explore_root"),
        reverse("audit_log:index"),
        reverse("training_leads:index"),
    ):
        assert client.get(url, headers=XHR).status_code in (302, 403), url


# --- An evaluator never reaches a learner -------------------------------------------------------


@pytest.mark.django_db
def test_an_evaluator_is_refused_every_learner_level_screen(client, gmp_and_met):  # noqa: F811
    client.force_login(evaluator())
    for url in [
        reverse("force_learners:index"),
        reverse("force_learners:edit", args=[MET_ID]),
        reverse("force_dashboard:pick"),
        reverse("force_dashboard:force", args=["met"]),
        reverse("force_dashboard:progress", args=["met"]),
        reverse("force_dashboard:learners", args=["met"]),
        reverse("force_dashboard:learners", args=["met"]) + "?export=csv",
        f"/admin/enrolment-imports/{GMP_ID}/",
        f"/admin/enrolment-imports/{GMP_ID}/apply/",
        reverse("courses_learner_erase", args=[MET_ID]),
    ]:
        response = client.get(url, headers=XHR)
        assert response.status_code in (403, 404), url
        person = client.get(url, follow=True)
        assert person.redirect_chain[-1][0] == reverse("wagtailadmin_home") or (
            person.status_code in (403, 404)
        ), url
    # The evidence of either force, though, is theirs to see.
    for code in ("met", "gmp"):
        assert client.get(reverse("force_dashboard:evidence", args=[code])).status_code == 200


@pytest.mark.django_db
def test_an_evaluator_sees_no_learner_on_any_admin_url(gmp_and_met):  # noqa: F811
    """The lead isolation walk, as an evaluator who leads no force: no admin URL (GET, and
    POST where it could change something) shows either force's learner, and nothing of GMP's
    changes."""
    secrets = secrets_of(gmp_and_met["gmp"]) + secrets_of(gmp_and_met["met"])
    before = gmp_state(gmp_and_met["gmp"])
    client = Client(raise_request_exception=False)
    client.force_login(evaluator())
    post_data = {
        "role": LearnerRole.PCSO,
        "team": "changed",
        "email": gmp_and_met["gmp"]["user"].email,
        "forces": [force("met").pk],
        "force": force("met").pk,
    }
    found, walked = [], 0
    for route, pattern in admin_patterns():
        fills = [(GMP_ID, "gmp"), (MET_ID, "met")]
        for number, code in fills if takes_arguments(route) else fills[:1]:
            url = fill(route, number, code)
            found += leaks(client, url, secrets)
            walked += 1
            if code == "gmp" and CHANGES.search((pattern.name or "") + route):
                found += leaks(client, url, secrets, post_data=post_data)
            if (pattern.name or "").endswith("index") and not takes_arguments(route):
                found += leaks(client, url + "?export=csv", secrets)
                found += leaks(client, url + "?q=Quillfeather", secrets)
        assert "_auth_user_id" in client.session, route
    assert walked > 300
    assert found == []
    assert gmp_state(gmp_and_met["gmp"]) == before


# --- The evaluator's file -----------------------------------------------------------------------

TODAY = datetime.date(2026, 4, 15)  # the last complete month is March 2026


@pytest.fixture
def file_world(module_tree):
    """The Met launched on 10 January 2026. Front line: 12 response officers trained in
    February, 3 in March, 5 untrained who joined in March; one trained on 1 April UK time (31
    March UTC), one who has left. Headcounts: response officers 100, then 120 from 20 March;
    PCSOs 30 from February. GMP: 2 supervisors trained in February."""
    module = module_tree.module
    pathways(module)
    CriticalMassPlan.objects.create(force=force("met"), launch_date=datetime.date(2026, 1, 10))
    for _ in range(12):
        trained_learner("met", module)
    for _ in range(3):
        trained_learner("met", module, at=datetime.datetime(2026, 3, 5, tzinfo=UK))
    for _ in range(5):
        user = learner("met")
        LearnerProfile.objects.filter(user=user).update(
            created_at=datetime.datetime(2026, 3, 5, tzinfo=UK)
        )
    # 23:30 UTC on 31 March is 00:30 on 1 April in the UK: April, after the file's last month.
    trained_learner("met", module, at=datetime.datetime(2026, 3, 31, 23, 30, tzinfo=datetime.UTC))
    gone = trained_learner("met", module)
    gone.is_active = False
    gone.save()
    headcount("met", 100)
    headcount("met", 120, as_of=datetime.date(2026, 3, 20))
    headcount("met", 30, role=LearnerRole.PCSO, as_of=datetime.date(2026, 2, 1))
    for _ in range(2):
        trained_learner("gmp", module, role=LearnerRole.SUPERVISOR)
    return module_tree


def cells(file, code, month, group):
    return next(
        r
        for r in file.rows
        if (r["force_code"], r["month"], r["role_group"]) == (code, month, group)
    )


def test_the_evaluators_file_rows_and_suppression(file_world, django_assert_num_queries):
    # Forces, plans, first completion, learners by month, trained learners, headcounts, and
    # the survey header's and table's (two without a live survey): eight, whatever the number
    # of forces and months.
    with django_assert_num_queries(8):
        file = evaluation.evaluator_file(today=TODAY)

    assert file.months == [datetime.date(2026, m, 1) for m in (1, 2, 3)]
    assert file.header[:9] == [
        "force_code",
        "force_name",
        "month",
        "role_group",
        "launch_date",
        "learners",
        "trained_in_month",
        "trained_by_month_end",
        "headcount",
    ]
    assert file.header[-1] == "suppressed"
    assert len(file.rows) == Force.objects.count() * 3 * len(ROLE_GROUPS)

    def figures(month, code="met", group="frontline"):
        row = cells(file, code, month, group)
        return [row[c] for c in evaluation.EVALUATOR_FILE_COUNTS] + [row["suppressed"]]

    # learners, trained in the month, trained by its end, headcount, suppressed
    assert figures("2026-01") == [16, 0, 0, 100, ""]
    assert figures("2026-02") == [16, 12, 12, 130, ""]
    assert figures("2026-03") == [21, "", 15, 150, "trained_in_month"]
    met = cells(file, "met", "2026-03", "frontline")
    assert (met["force_name"], met["launch_date"]) == (force("met").name, "2026-01-10")
    # GMP's two supervisors are suppressed wherever they are counted; 0 stays 0.
    assert figures("2026-02", "gmp", "supervisors-leaders") == [
        "",
        "",
        "",
        "",
        "learners trained_in_month trained_by_month_end",
    ]
    assert figures("2026-02", "gmp", "frontline") == [0, 0, 0, "", ""]
    assert cells(file, "gmp", "2026-02", "frontline")["launch_date"] == ""


def test_the_file_covers_the_launch_or_first_completion_to_the_last_complete_month():
    months = evaluation.evaluator_months
    assert months(today=datetime.date(2026, 4, 1), earliest=None) == []
    assert months(today=datetime.date(2026, 4, 30), earliest=datetime.date(2026, 4, 2)) == []
    assert months(today=datetime.date(2026, 4, 30), earliest=datetime.date(2025, 11, 20)) == [
        datetime.date(2025, 11, 1),
        datetime.date(2025, 12, 1),
        datetime.date(2026, 1, 1),
        datetime.date(2026, 2, 1),
        datetime.date(2026, 3, 1),
    ]
    long = months(today=datetime.date(2030, 1, 15), earliest=datetime.date(2019, 6, 1))
    assert len(long) == evaluation.EVALUATOR_FILE_MAX_MONTHS
    assert (long[0], long[-1]) == (datetime.date(2027, 1, 1), datetime.date(2029, 12, 1))


def test_an_earlier_completion_than_any_launch_starts_the_file(file_world):
    trained_learner("kent", file_world.module, at=datetime.datetime(2025, 11, 3, tzinfo=UK))
    file = evaluation.evaluator_file(today=TODAY)
    assert file.months[0] == datetime.date(2025, 11, 1)


def test_the_file_is_downloaded_as_csv_by_evaluators_and_recorded(client, file_world):
    user = evaluator()
    client.force_login(user)
    response = client.get(FILE)

    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    rows = read_csv(response)
    months = {row["month"] for row in rows}
    assert "2026-02" in months
    assert len(rows) == Force.objects.count() * len(months) * len(ROLE_GROUPS)
    feb = next(
        r
        for r in rows
        if (r["force_code"], r["month"], r["role_group"]) == ("met", "2026-02", "frontline")
    )
    assert (feb["trained_in_month"], feb["headcount"]) == ("12", "130")
    event = AuditEvent.objects.get(action=AuditAction.EVALUATOR_FILE)
    assert (event.user_id, event.path, event.status_code) == (user.pk, FILE, 200)
    body = body_of(client.get(FILE))
    for secret in (learner("met").email, "@met.demo.example", "@example.org"):
        assert secret not in body


@pytest.mark.django_db
def test_a_lead_who_is_not_an_evaluator_is_refused_the_file(client):
    client.force_login(training_lead("met"))
    assert client.get(FILE, headers=XHR).status_code == 403
    person = client.get(FILE, follow=True)
    assert person.redirect_chain == [(reverse("wagtailadmin_home"), 302)]
    assert not AuditEvent.objects.filter(action=AuditAction.EVALUATOR_FILE).exists()
    client.force_login(UserFactory(is_superuser=True))
    assert client.get(FILE).status_code == 200
