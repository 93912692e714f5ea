"""DA Matters Champions: a trained learner volunteers from My learning and may step down; a
forged volunteer POST is refused with nothing written; the lead's list is scoped to their force
(a GMP Champion is never listed for a Met lead), filters by team and downloads as formula-safe
CSV; evaluators who are not leads get 403 on names; a lead clears the flag; the summary and the
evidence panel's figures."""

import csv
import datetime
import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses import selectors
from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    AuditAction,
    AuditEvent,
    CriticalMassPlan,
    LearnerProfile,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.conftest import build_module_tree, complete_module
from tests.factories import UserFactory, force, learner, training_lead

CSRF = {"HTTP_X_CSRFTOKEN": "a" * 32}


@pytest.fixture
def pathway_module(home_page):
    """A one-module pathway for response officers: completing it makes them trained."""
    tree = build_module_tree(home_page, title="Leadership", lessons=1)
    pathway = Pathway.objects.create(role=LearnerRole.RESPONSE_OFFICER)
    PathwayStep.objects.create(pathway=pathway, module=tree.module, days_to_complete=28)
    return tree


def trained_learner(tree, code="met", **profile):
    user = learner(code, **profile)
    complete_module(user, tree)
    return user


def make_champion(user, when=None):
    LearnerProfile.objects.filter(user=user).update(champion_since=when or timezone.now())


def profile_of(user) -> LearnerProfile:
    return LearnerProfile.objects.get(user=user)


# --- Learner side -------------------------------------------------------------------------------


def test_a_trained_learner_is_invited_and_volunteers(client, pathway_module):
    user = trained_learner(pathway_module)
    client.force_login(user)

    page = client.get(reverse("courses:dashboard")).content.decode()
    assert "Volunteer as a Champion" in page
    assert "not a counsellor or an investigator" in page

    response = client.post(reverse("courses:champion_volunteer"), follow=True)
    assert response.status_code == 200
    since = profile_of(user).champion_since
    assert since is not None
    page = response.content.decode()
    assert "Thank you for volunteering" in page
    assert f"You are a DA Matters Champion since {timezone.localtime(since):%-d %B %Y}" in page
    assert "Volunteer as a Champion" not in page
    event = AuditEvent.objects.get(action=AuditAction.CHAMPION_JOINED)
    assert (event.user_id, event.subject_user_id, event.force_code) == (user.pk, user.pk, "met")


def test_volunteering_twice_keeps_the_first_date(client, pathway_module):
    user = trained_learner(pathway_module)
    first = timezone.now() - datetime.timedelta(days=30)
    make_champion(user, first)
    client.force_login(user)
    client.post(reverse("courses:champion_volunteer"))
    assert profile_of(user).champion_since == first
    assert not AuditEvent.objects.filter(action=AuditAction.CHAMPION_JOINED).exists()


def test_a_learner_not_yet_trained_sees_no_button_and_a_forged_post_is_refused(
    client, pathway_module
):
    user = learner("met")  # has not completed the pathway
    client.force_login(user)
    assert "Volunteer as a Champion" not in client.get(reverse("courses:dashboard")).text

    response = client.post(reverse("courses:champion_volunteer"))

    assert response.status_code == 403
    assert "once you have completed every module your role requires" in response.text
    assert "Nothing has been changed" in response.text
    assert profile_of(user).champion_since is None
    assert not AuditEvent.objects.filter(action=AuditAction.CHAMPION_JOINED).exists()


def test_a_role_without_a_pathway_is_never_trained(client, pathway_module):
    user = learner("met", role=LearnerRole.STAFF)
    complete_module(user, pathway_module)
    client.force_login(user)
    assert client.post(reverse("courses:champion_volunteer")).status_code == 403
    assert profile_of(user).champion_since is None


def test_volunteering_needs_post_and_the_csrf_token(pathway_module):
    from django.test import Client

    user = trained_learner(pathway_module)
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(user)
    url = reverse("courses:champion_volunteer")
    assert strict.get(url).status_code == 405
    assert strict.post(url).status_code == 403  # no CSRF token
    assert profile_of(user).champion_since is None
    strict.cookies["csrftoken"] = "a" * 32
    assert strict.post(url, **CSRF).status_code == 302
    assert profile_of(user).champion_since is not None


def test_an_account_without_a_learner_profile_is_refused(client, db):
    client.force_login(UserFactory())
    assert client.post(reverse("courses:champion_volunteer")).status_code == 403


def test_a_champion_steps_down_after_confirming(client, pathway_module):
    user = trained_learner(pathway_module)
    make_champion(user)
    client.force_login(user)
    url = reverse("courses:champion_step_down")
    assert url in client.get(reverse("courses:dashboard")).text

    confirm = client.get(url)
    assert confirm.status_code == 200 and "Yes, step down" in confirm.text
    assert profile_of(user).champion_since is not None  # GET changes nothing

    response = client.post(url, follow=True)
    assert "You are no longer a DA Matters Champion" in response.text
    assert profile_of(user).champion_since is None
    assert AuditEvent.objects.filter(
        action=AuditAction.CHAMPION_LEFT, subject_user_id=user.pk
    ).exists()
    # Still trained: invited again.
    assert "Volunteer as a Champion" in response.text


def test_step_down_when_not_a_champion_changes_nothing(client, pathway_module):
    user = trained_learner(pathway_module)
    client.force_login(user)
    assert client.get(reverse("courses:champion_step_down")).status_code == 302
    client.post(reverse("courses:champion_step_down"))
    assert not AuditEvent.objects.filter(action=AuditAction.CHAMPION_LEFT).exists()


def test_learner_champion_reads_in_one_query(pathway_module, django_assert_num_queries):
    trained, untrained = trained_learner(pathway_module), learner("met")
    make_champion(untrained)  # a Champion whose pathway grew stays flagged
    with django_assert_num_queries(1):
        mine = selectors.learner_champion(trained)
    assert mine.trained and mine.champion_since is None
    with django_assert_num_queries(1):
        theirs = selectors.learner_champion(untrained)
    assert not theirs.trained and theirs.champion_since is not None
    assert selectors.learner_champion(UserFactory()) is None


# --- Lead side: the list ------------------------------------------------------------------------


@pytest.fixture
def champions(pathway_module):
    """Met: Champions in Response A (two) and in Custody (one, whose name looks like a formula),
    one trained non-Champion; GMP: one Champion."""
    people = {
        "ann": trained_learner(pathway_module, team="Response A"),
        "bob": trained_learner(pathway_module, team="Response A"),
        "cat": trained_learner(pathway_module, team="Custody"),
        "dan": trained_learner(pathway_module, team="Response A"),
        "gmp": trained_learner(pathway_module, code="gmp", team="Response A"),
    }
    for key in ("ann", "bob", "cat", "gmp"):
        make_champion(people[key])
    people["cat"].first_name = "=HYPERLINK(1)"
    people["cat"].save()
    return people


def list_url(code="met", **query):
    url = reverse("force_dashboard:champions", args=[code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_lead_lists_their_forces_champions_only(client, champions):
    client.force_login(training_lead("met"))
    response = client.get(list_url())
    assert response.status_code == 200
    page = response.text
    for key in ("ann", "bob", "cat"):
        assert champions[key].email in page
    assert champions["dan"].email not in page  # trained, not a Champion
    assert champions["gmp"].email not in page
    assert "Champion since" in page
    assert client.get(list_url("gmp")).status_code == 404


def test_the_list_filters_by_team(client, champions):
    client.force_login(training_lead("met"))
    page = client.get(list_url(team="Custody")).text
    assert champions["cat"].email in page
    assert champions["ann"].email not in page
    assert client.get(list_url(team="No such team")).status_code == 400


def read_csv(response) -> list[dict]:
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_csv_has_the_forces_champions_and_neutralises_formulas(client, champions):
    client.force_login(training_lead("met"))
    rows = read_csv(client.get(list_url(export="csv")))
    assert sorted(r["email"] for r in rows) == sorted(
        champions[k].email for k in ("ann", "bob", "cat")
    )
    cat = next(r for r in rows if r["email"] == champions["cat"].email)
    assert cat["first_name"] == "'=HYPERLINK(1)"
    assert cat["team"] == "Custody" and cat["role"] == "response-officer"
    since = profile_of(champions["cat"]).champion_since
    assert cat["champion_since"] == timezone.localtime(since).isoformat()
    assert [r["email"] for r in read_csv(client.get(list_url(team="Custody", export="csv")))] == [
        champions["cat"].email
    ]


def test_an_evaluator_who_is_not_a_lead_may_not_see_names(client, champions):
    evaluator = UserFactory()
    evaluator.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    client.force_login(evaluator)
    for url in (list_url(), list_url(export="csv")):
        # Wagtail turns the view's PermissionDenied into a redirect to the admin's home.
        response = client.get(url, follow=True)
        assert response.redirect_chain[0] == (reverse("wagtailadmin_home"), 302)
        assert champions["ann"].email not in response.text
        xhr = client.get(url, headers={"x-requested-with": "XMLHttpRequest"})
        assert xhr.status_code == 403
    # The evidence page (counts only) stays open to them, without the link to names.
    evidence = client.get(reverse("force_dashboard:evidence", args=["met"]))
    assert evidence.status_code == 200
    assert list_url() not in evidence.text


def test_the_list_takes_a_fixed_number_of_queries(client, champions, django_assert_num_queries):
    client.force_login(training_lead("met"))
    client.get(list_url())  # warm per-process caches
    # Session, user, Wagtail's admin permissions, user profile, locales, page and collection
    # permissions (the admin's chrome: 8); the lead's forces (1) and their ids for the menu
    # (1); the teams of the filter (1); the count (1); one page of rows (1).
    with django_assert_num_queries(13) as before:
        assert client.get(list_url()).status_code == 200
    for n in range(5):
        make_champion(learner("met", team=f"Team {n}"))
    with django_assert_num_queries(len(before.captured_queries)):
        assert client.get(list_url()).status_code == 200


# --- Lead side: clearing the flag ---------------------------------------------------------------


def test_a_lead_removes_champion_status_from_the_edit_screen(client, champions):
    lead = training_lead("met")
    client.force_login(lead)
    ann = profile_of(champions["ann"])
    edit = reverse("force_learners:edit", args=[ann.pk])
    page = client.get(edit).text
    assert "Champion since" in page and "Remove Champion status" in page

    remove = reverse("force_dashboard:champion_remove", args=["met", ann.pk])
    response = client.post(remove, {"from": "edit"})

    assert response.status_code == 302 and response["Location"] == edit
    assert profile_of(champions["ann"]).champion_since is None
    event = AuditEvent.objects.get(action=AuditAction.CHAMPION_REMOVED)
    assert (event.user_id, event.subject_user_id) == (lead.pk, ann.user_id)
    assert "Remove Champion status" not in client.get(edit).text


def test_a_lead_cannot_clear_another_forces_champion(client, champions):
    client.force_login(training_lead("met"))
    gmp = profile_of(champions["gmp"])
    for code in ("met", "gmp"):
        url = reverse("force_dashboard:champion_remove", args=[code, gmp.pk])
        assert client.post(url).status_code == 404
    assert (
        client.get(reverse("force_dashboard:champion_remove", args=["met", 1])).status_code == 405
    )
    assert profile_of(champions["gmp"]).champion_since is not None
    assert not AuditEvent.objects.filter(action=AuditAction.CHAMPION_REMOVED).exists()


# --- Figures ------------------------------------------------------------------------------------


def test_champions_summary_against_the_target(champions):
    met = force("met")
    summary = selectors.champions_summary(force=met)
    # Met: four trained (ann, bob, cat, dan), three Champions; target 10% of 4 = 0.4 -> 1.
    assert (summary.champions, summary.trained, summary.share) == (3, 4, 75.0)
    assert (summary.target_percent, summary.target, summary.still_needed) == (10, 1, 0)

    CriticalMassPlan.objects.create(force=met, champion_target_percent=100)
    summary = selectors.champions_summary(force=met)
    assert (summary.target, summary.still_needed) == (4, 1)


def test_a_champion_who_is_no_longer_trained_or_active_is_not_counted(champions, home_page):
    ann = champions["ann"]
    ann.is_active = False
    ann.save()
    summary = selectors.champions_summary(force=force("met"))
    assert (summary.champions, summary.trained) == (2, 3)
    # A module added to the pathway: nobody is trained until they complete it.
    extra = build_module_tree(home_page, title="Added", lessons=1)
    PathwayStep.objects.create(pathway=Pathway.objects.get(), module=extra.module)
    summary = selectors.champions_summary(force=force("met"))
    assert (summary.champions, summary.trained, summary.share, summary.target) == (0, 0, None, 0)


def test_summary_with_nobody_trained(db):
    summary = selectors.champions_summary(force=force("met"))
    assert (summary.champions, summary.trained, summary.share) == (0, 0, None)
    assert (summary.target, summary.still_needed) == (0, 0)


@pytest.fixture
def national(pathway_module):
    """Five forces with 10 trained each and 1, 2, 3, 4, 5 Champions (10% to 50%), and the Met
    with 10 trained and 2 Champions: six forces at 10, 20, 20, 30, 40, 50 per cent."""
    for code, n in [
        ("gmp", 1),
        ("west-midlands", 2),
        ("kent", 3),
        ("essex", 4),
        ("sussex", 5),
        ("met", 2),
    ]:
        for i in range(10):
            user = trained_learner(pathway_module, code=code)
            if i < n:
                make_champion(user)


def test_the_panel_shows_the_summary_beside_the_national_benchmark(client, national):
    day = timezone.localdate()
    bench = selectors.champions_benchmark(day=day)
    assert (bench.forces, bench.median, bench.lower_quartile, bench.upper_quartile) == (
        6,
        25.0,
        20.0,
        37.5,
    )
    client.force_login(training_lead("met"))
    page = client.get(reverse("force_dashboard:evidence", args=["met"])).text
    assert "2</span> Champions of 10 trained" in page
    assert "median 25.0% (interquartile range 20.0% to 37.5%, 6 forces)" in page
    assert 'role="img"' in page and "<desc" in page
    assert list_url() in page  # the lead gets the link to names


def test_the_panel_says_when_the_benchmark_is_not_available(client, pathway_module):
    make_champion(trained_learner(pathway_module))
    client.force_login(training_lead("met"))
    page = client.get(reverse("force_dashboard:evidence", args=["met"])).text
    assert "1</span> Champions of 1 trained" in page
    assert "not available: fewer than 5 forces have 10 or more trained learners" in page


# --- Demo ---------------------------------------------------------------------------------------


def test_demo_seed_makes_one_in_twelve_trained_learners_champions_once(pathway_module):
    from courses.demo import evidence_b

    for _ in range(13):
        trained_learner(pathway_module)
    learner("met")  # not trained: never made a Champion
    now = timezone.now()

    assert evidence_b.seed(forces=[force("met"), force("gmp")], now=now) == 2
    assert evidence_b.seed(forces=[force("met"), force("gmp")], now=now) == 0
    champions = LearnerProfile.objects.filter(champion_since__isnull=False)
    assert champions.count() == 2
    assert all(p.champion_since <= now for p in champions)
    assert selectors.champions_summary(force=force("met")).champions == 2
