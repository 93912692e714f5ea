"""The force dashboard for training leads: figures on known data, scope (a Met lead never sees
GMP), who may see it, the lists behind the figures, filters, CSV and query counts."""

import csv
import datetime
import io

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses import selectors
from courses.models import (
    TRAINING_LEADS_GROUP,
    LearnerProfile,
    LearnerRole,
    ModuleProgress,
)
from courses.models import ProgressStatus as Status
from courses.selectors import dashboard as figures
from tests.conftest import build_module_tree
from tests.factories import ModuleProgressFactory, UserFactory, force, learner, training_lead

DAY = datetime.timedelta(days=1)


def make_lead(*codes, email="lead@met.example"):
    return training_lead(*codes, username=email.split("@")[0], email=email)


def row(user, module, *, status=Status.IN_PROGRESS, updated=None, **fields):
    """A progress row; `updated` backdates its updated_at (auto_now on save)."""
    if status == Status.COMPLETED:
        fields.setdefault("completed_at", timezone.now())
        made = ModuleProgressFactory(learner=user, module=module, completed=True, **fields)
    elif status == Status.NOT_STARTED:
        made = ModuleProgressFactory(
            learner=user,
            module=module,
            status=status,
            lessons_completed=0,
            started_at=None,
            **fields,
        )
    else:
        made = ModuleProgressFactory(learner=user, module=module, **fields)
    if updated is not None:
        ModuleProgress.objects.filter(pk=made.pk).update(updated_at=updated)
    return made


@pytest.fixture
def world(home_page):
    """Two published modules; the Met: two active response officers, one PCSO, one leaver;
    GMP: one learner with a completion and an overdue module."""
    now = timezone.now()
    lead_mod = build_module_tree(home_page, title="Leadership", lessons=1).module
    mens = build_module_tree(home_page, title="Mens role", lessons=1).module
    ann = learner("met", user__first_name="Ann", user__last_name="Able", team="Response A")
    bob = learner("met", user__first_name="Bob", user__last_name="Best")
    cat = learner("met", role=LearnerRole.PCSO, user__first_name="Cat", user__last_name="Cole")
    gone = learner("met", user__first_name="Gone", user__last_name="Away")
    gone.is_active = False
    gone.save()
    gil = learner("gmp", user__first_name="Gil", user__last_name="Gmp")

    # Ann: completed Leadership a while back (not active lately); Mens role required, overdue.
    row(ann, lead_mod, status=Status.COMPLETED, completed_at=now - 40 * DAY, updated=now - 40 * DAY)
    row(ann, mens, status=Status.NOT_STARTED, required=True, due_at=now - 2 * DAY)
    # Bob: Leadership in progress today, required and due next week (not overdue).
    row(bob, lead_mod, required=True, due_at=now + 7 * DAY)
    # Cat (PCSO): completed both today; Mens role was required.
    row(cat, lead_mod, status=Status.COMPLETED)
    row(cat, mens, status=Status.COMPLETED, required=True, due_at=now - 5 * DAY)
    # The leaver's rows count nowhere.
    row(gone, lead_mod, status=Status.COMPLETED)
    row(gone, mens, required=True, due_at=now - 9 * DAY)
    # GMP's must never show for the Met.
    row(gil, lead_mod, status=Status.COMPLETED)
    row(gil, mens, required=True, due_at=now - 3 * DAY)
    return {"lead_mod": lead_mod, "mens": mens, "now": now}


@pytest.fixture
def met_lead(db):
    return make_lead("met")


# --- Figures ------------------------------------------------------------------------------------


def test_figures_on_known_data(world):
    modules = list(selectors.published_modules())
    d = selectors.force_dashboard(force=force("met"), modules=modules, now=world["now"])
    assert (d.learners, d.active, d.completed, d.overdue, d.overdue_learners) == (3, 2, 3, 1, 1)
    by_title = {m.module.title: m for m in d.modules}
    leadership, mens = by_title["Leadership"], by_title["Mens role"]
    assert (leadership.completed, leadership.in_progress, leadership.required) == (2, 1, 1)
    assert leadership.completion_rate == pytest.approx(66.7)
    assert (mens.completed, mens.required, mens.overdue) == (1, 2, 1)
    roles = {r.role: r for r in d.roles}
    officer, pcso = roles[LearnerRole.RESPONSE_OFFICER], roles[LearnerRole.PCSO]
    assert (officer.learners, officer.completed, officer.overdue) == (2, 1, 1)
    assert officer.completion_rate == 25.0  # 1 of 2 learners x 2 modules
    assert (pcso.learners, pcso.completed, pcso.overdue, pcso.completion_rate) == (1, 2, 0, 100)
    assert roles[LearnerRole.SUPERVISOR].learners == 0
    assert len(d.months) == 12 and d.months[-1].month == timezone.localdate().replace(day=1)
    assert sum(m.completed for m in d.months) == 3  # Ann (40 days ago), Cat twice
    assert d.months[-1].completed >= 1


def test_figures_for_one_role_and_one_module(world):
    modules = list(selectors.published_modules())
    met = force("met")
    d = selectors.force_dashboard(
        force=met, modules=modules, role=LearnerRole.PCSO, now=world["now"]
    )
    assert (d.learners, d.active, d.completed, d.overdue) == (1, 1, 2, 0)
    assert [r.role for r in d.roles] == [LearnerRole.PCSO]
    d = selectors.force_dashboard(force=met, modules=modules, module=world["mens"])
    assert [m.module.title for m in d.modules] == ["Mens role"]
    assert (d.completed, d.overdue, d.overdue_learners, d.active) == (1, 1, 1, 1)


def test_months_are_uk_months():
    # 23:30 on 31 July UTC is 00:30 on 1 August in London (BST): it counts for August.
    now = datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC)
    months = figures.last_months(now)
    assert months[0] == datetime.date(2025, 9, 1) and months[-1] == datetime.date(2026, 8, 1)
    start, end = figures.month_range(datetime.date(2026, 8, 1))
    assert start == datetime.datetime(2026, 7, 31, 23, tzinfo=datetime.UTC)
    assert end == datetime.datetime(2026, 8, 31, 23, tzinfo=datetime.UTC)


@pytest.mark.django_db
def test_a_completion_just_after_uk_midnight_counts_for_the_uk_month(home_page):
    module = build_module_tree(home_page, lessons=1).module
    now = datetime.datetime(2026, 8, 15, 12, tzinfo=datetime.UTC)
    late = datetime.datetime(2026, 7, 31, 23, 30, tzinfo=datetime.UTC)
    row(learner("met"), module, status=Status.COMPLETED, completed_at=late)
    d = selectors.force_dashboard(force=force("met"), modules=[module], now=now)
    assert {m.month: m.completed for m in d.months if m.completed} == {datetime.date(2026, 8, 1): 1}
    rows = selectors.dashboard_progress_rows(
        force=force("met"), module_ids=[module.pk], month=datetime.date(2026, 8, 1), now=now
    )
    assert rows.count() == 1


# --- Who may see it -----------------------------------------------------------------------------

DASHBOARD = "force_dashboard:force"


@pytest.mark.django_db
@pytest.mark.parametrize("group", ["Editors", "Reviewers", TRAINING_LEADS_GROUP])
def test_editors_reviewers_and_leads_without_forces_get_403(client, group, module_tree):
    user = UserFactory()
    user.groups.add(Group.objects.get(name=group))
    client.force_login(user)
    for url in [
        reverse("force_dashboard:pick"),
        reverse(DASHBOARD, args=["met"]),
        reverse("force_dashboard:progress", args=["met"]),
        reverse("force_dashboard:learners", args=["met"]),
        reverse("force_dashboard:progress_results", args=["met"]),
        reverse("force_dashboard:progress", args=["met"]) + "?export=csv",
    ]:
        # Wagtail's way with PermissionDenied: 403 to scripts, the admin home and "Sorry, you
        # do not have permission" to a person.
        assert client.get(url, headers={"x-requested-with": "XMLHttpRequest"}).status_code == 403
        response = client.get(url, follow=True)
        assert response.redirect_chain == [(reverse("wagtailadmin_home"), 302)], url
        assert "Sorry, you do not have permission" in response.content.decode()
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("force_dashboard:pick") not in home  # the menu item is hidden


@pytest.mark.django_db
def test_signed_out_goes_to_sign_in(client):
    response = client.get(reverse(DASHBOARD, args=["met"]))
    assert response.status_code == 302 and "/admin/login/" in response["Location"]


def test_a_met_lead_never_sees_gmp(client, world, met_lead):
    client.force_login(met_lead)
    assert client.get(reverse(DASHBOARD, args=["gmp"])).status_code == 404
    assert client.get(reverse("force_dashboard:progress", args=["gmp"])).status_code == 404
    assert client.get(reverse("force_dashboard:learners", args=["gmp"])).status_code == 404
    assert client.get(reverse(DASHBOARD, args=["no-such-force"])).status_code == 404
    response = client.get(reverse("force_dashboard:pick"))
    assert response.status_code == 302 and response["Location"] == reverse(DASHBOARD, args=["met"])
    gil, gone = (get_user_model().objects.get(first_name=name) for name in ("Gil", "Gone"))
    secrets = [b"Gil Gmp", gil.email.encode(), b"Gone Away", gone.email.encode()]  # GMP, leaver
    for url in [
        reverse(DASHBOARD, args=["met"]),
        reverse("force_dashboard:progress", args=["met"]),
        reverse("force_dashboard:learners", args=["met"]),
        reverse("force_dashboard:progress", args=["met"]) + "?export=csv",
        reverse("force_dashboard:learners", args=["met"]) + "?export=csv",
    ]:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        # Whole names and addresses: three letters alone can turn up in a random CSRF token.
        for secret in secrets:
            assert secret not in body, url
    home = client.get(reverse("wagtailadmin_home")).content.decode()
    assert reverse("force_dashboard:pick") in home  # the menu item


def test_a_lead_of_two_forces_picks_one(client, world):
    lead = make_lead("met", "gmp", email="both@example.org")
    client.force_login(lead)
    page = client.get(reverse("force_dashboard:pick")).content.decode()
    assert reverse(DASHBOARD, args=["met"]) in page and reverse(DASHBOARD, args=["gmp"]) in page
    gmp = client.get(reverse("force_dashboard:learners", args=["gmp"])).content.decode()
    assert "Gil Gmp" in gmp and "Ann Able" not in gmp
    assert client.get(reverse(DASHBOARD, args=["kent"])).status_code == 404


def test_a_superuser_sees_every_force(client, world, admin_user):
    client.force_login(admin_user)
    assert (
        "Gil Gmp" in client.get(reverse("force_dashboard:learners", args=["gmp"])).content.decode()
    )
    assert client.get(reverse(DASHBOARD, args=["met"])).status_code == 200


# --- The dashboard page -------------------------------------------------------------------------


def test_the_dashboard_links_every_figure_to_its_list(client, world, met_lead):
    client.force_login(met_lead)
    page = client.get(reverse(DASHBOARD, args=["met"])).content.decode()
    base = reverse("force_dashboard:progress", args=["met"])
    people = reverse("force_dashboard:learners", args=["met"])
    mens = world["mens"].pk
    for href in [
        f'href="{people}"',
        f'href="{people}?active=yes"',
        f'href="{base}?overdue=yes"',
        f'href="{people}?overdue=yes"',
        f'href="{base}?status=2"',
        f'href="{base}?module={mens}&amp;overdue=yes"',
        f'href="{base}?module={mens}&amp;required=yes"',
        f'href="{people}?role=pcso"',
        f'href="{base}?role=pcso&amp;status=2"',
        f'href="{base}?month={timezone.localdate().strftime("%Y-%m")}"',
    ]:
        assert href in page, href
    # Charts are images with a text summary, and their numbers are in tables too.
    assert page.count('role="img"') == 2
    assert '<title id="modules-title">' in page and "Leadership: 66.7%" in page
    assert "<table" in page and '<th scope="row">Mens role</th>' in page


def test_following_a_figure_lists_exactly_its_rows(client, world, met_lead):
    client.force_login(met_lead)
    url = reverse("force_dashboard:progress", args=["met"])
    page = client.get(url, {"overdue": "yes"}).content.decode()
    assert "Ann Able" in page and "Bob Best" not in page and "Cat Cole" not in page
    page = client.get(url, {"status": 2, "role": "pcso"}).content.decode()
    assert page.count("Cat Cole") == 2 and "Ann Able" not in page
    page = client.get(
        reverse("force_dashboard:learners", args=["met"]), {"active": "yes"}
    ).content.decode()
    assert "Bob Best" in page and "Cat Cole" in page and "Ann Able" not in page


def test_each_listed_learner_links_to_their_edit_screen(client, world, met_lead):
    client.force_login(met_lead)
    ann = LearnerProfile.objects.get(user__first_name="Ann")
    edit = reverse("force_learners:edit", args=[ann.pk])
    for name in ("progress", "learners"):
        page = client.get(reverse(f"force_dashboard:{name}", args=["met"])).content.decode()
        assert f'href="{edit}"' in page
    assert client.get(edit).status_code == 200


@pytest.mark.parametrize(
    "query",
    [{"role": "chief"}, {"module": "999999"}, {"module": "x"}],
)
def test_bad_dashboard_filters_are_a_form_error(client, world, met_lead, query):
    client.force_login(met_lead)
    response = client.get(reverse(DASHBOARD, args=["met"]), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "Choose a" in page and "from the list" in page
    assert "At a glance" not in page


def test_an_unpublished_module_is_not_a_filter(client, world, met_lead):
    world["mens"].unpublish()
    client.force_login(met_lead)
    response = client.get(reverse(DASHBOARD, args=["met"]), {"module": world["mens"].pk})
    assert response.status_code == 400


@pytest.mark.parametrize(
    "query",
    [{"status": "9"}, {"month": "2026-13"}, {"overdue": "maybe"}, {"role": "x"}],
)
def test_bad_list_filters_are_a_form_error(client, world, met_lead, query):
    client.force_login(met_lead)
    response = client.get(reverse("force_dashboard:progress", args=["met"]), query)
    assert response.status_code == 400
    page = response.content.decode()
    assert "could not be used" in page and "Ann Able" not in page
    export = client.get(
        reverse("force_dashboard:progress", args=["met"]), {**query, "export": "csv"}
    )
    assert export.status_code == 400 and export["Content-Type"].startswith("text/html")


# --- CSV ----------------------------------------------------------------------------------------


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_has_the_same_rows_as_the_list_and_neutralises_formulas(client, world, met_lead):
    ann = ModuleProgress.objects.filter(learner__first_name="Ann").first().learner
    ann.first_name = "=HYPERLINK(1)"
    ann.save()
    client.force_login(met_lead)
    url = reverse("force_dashboard:progress", args=["met"])
    rows = read_csv(client.get(url, {"required": "yes", "export": "csv"}))
    assert sorted((r["last_name"], r["module"]) for r in rows) == [
        ("Able", "Mens role"),
        ("Best", "Leadership"),
        ("Cole", "Mens role"),
    ]
    able = next(r for r in rows if r["last_name"] == "Able")
    assert able["first_name"] == "'=HYPERLINK(1)"
    assert able["status"] == "not_started" and able["required"] == "true"
    assert able["due_at"].startswith(str((world["now"] - 2 * DAY).astimezone().year))
    assert able["team"] == "Response A"
    people = read_csv(
        client.get(reverse("force_dashboard:learners", args=["met"]), {"export": "csv"})
    )
    assert sorted(p["last_name"] for p in people) == ["Able", "Best", "Cole"]
    # xlsx is not offered: the page is shown instead of a file built in memory.
    response = client.get(url, {"export": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


# --- Query counts -------------------------------------------------------------------------------

# Every admin page of a lead: session, user, the user's and their groups' permissions (admin
# access), Wagtail's user profile; then the lead's forces and the published modules (this
# module's, 2); and the admin's menu: locale, page and collection permissions, and the lead's
# force ids, read once for every lead item (courses.lead_permissions.lead_force_ids).
ADMIN_PAGE = 5 + 2 + 4


def test_the_dashboard_costs_the_same_queries_whatever_the_size(
    client, world, met_lead, django_assert_num_queries
):
    client.force_login(met_lead)
    url = reverse(DASHBOARD, args=["met"])
    client.get(url)  # warm Wagtail's per-process caches (site root, content types)
    # + 5 figures: learners by role, rows by module and role, active learners, overdue
    # learners, completions by month.
    with django_assert_num_queries(ADMIN_PAGE + 5):
        assert client.get(url).status_code == 200
    for i in range(5):
        row(learner("met", user__first_name=f"More{i}"), world["mens"], status=Status.COMPLETED)
    with django_assert_num_queries(ADMIN_PAGE + 5):
        assert client.get(url).status_code == 200


@pytest.mark.parametrize("name", ["progress", "learners"])
def test_a_list_page_costs_the_same_queries_whatever_the_size(
    client, world, met_lead, django_assert_num_queries, name
):
    client.force_login(met_lead)
    url = reverse(f"force_dashboard:{name}", args=["met"])
    client.get(url)
    for i in range(8):
        row(learner("met", user__first_name=f"More{i}"), world["mens"])
    # + the count for the pager and the page's rows (learner, profile, module joined in).
    with django_assert_num_queries(ADMIN_PAGE + 2):
        page = client.get(url).content.decode()
    assert "More7" in page


def test_csv_streams_in_one_query_without_counting(
    client, world, met_lead, django_assert_num_queries
):
    client.force_login(met_lead)
    url = reverse("force_dashboard:progress", args=["met"]) + "?export=csv"
    read_csv(client.get(url))  # warm Wagtail's per-process caches
    # Session, user, permissions (2), profile, forces, modules; then the rows, once, by
    # cursor: no count and no menu.
    with django_assert_num_queries(8):
        response = client.get(url)
        assert len(read_csv(response)) == 5
