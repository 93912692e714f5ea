"""The shared definitions the evidence of cultural change rests on: who is trained, which
headcount applies on a date, the national benchmark, Champions as a flag, who sees evidence."""

import datetime
import importlib

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from courses import selectors
from courses.models import (
    PROGRAMME_EVALUATORS_GROUP,
    Headcount,
    HeadcountSource,
    LearnerProfile,
    LearnerRole,
    Pathway,
    PathwayStep,
)
from tests.conftest import build_module_tree, complete_module
from tests.factories import UserFactory, force, learner, training_lead


@pytest.fixture
def two_step_pathway(home_page):
    first = build_module_tree(home_page, title="First", lessons=1)
    second = build_module_tree(home_page, title="Second", lessons=1)
    pathway = Pathway.objects.create(role=LearnerRole.RESPONSE_OFFICER)
    for tree in (first, second):
        PathwayStep.objects.create(pathway=pathway, module=tree.module, days_to_complete=28)
    return first, second


def test_trained_means_every_module_of_the_role_pathway(two_step_pathway):
    first, second = two_step_pathway
    both, one, other_role = learner(), learner(), learner(role=LearnerRole.STAFF)
    for tree in (first, second):
        complete_module(both, tree)
        complete_module(other_role, tree)  # staff have no pathway: nobody is trained
    complete_module(one, first)

    trained = list(selectors.trained_profiles(force=force("met")))

    assert [p.user for p in trained] == [both]
    assert trained[0].trained_at == both.module_progress.get(module=second.module).completed_at


def test_trained_by_a_date_and_only_active_learners_of_the_force(two_step_pathway):
    first, second = two_step_pathway
    met, gmp, gone = learner(), learner("gmp"), learner()
    for user in (met, gmp, gone):
        complete_module(user, first)
        complete_module(user, second)
    gone.is_active = False
    gone.save()
    before = timezone.now() - datetime.timedelta(minutes=1)

    assert [p.user for p in selectors.trained_profiles(force=force("met"))] == [met]
    assert not selectors.trained_profiles(force=force("met"), until=before).exists()
    assert not selectors.trained_profiles(force=force("met"), roles=["pcso"]).exists()


def test_headcount_on_a_date_is_the_latest_recorded_on_or_before_it(db):
    met = force("met")
    for day, count in [(1, 100), (10, 120), (20, 90)]:
        Headcount.objects.create(
            force=met,
            role=LearnerRole.PCSO,
            count=count,
            as_of=datetime.date(2026, 3, day),
            source=HeadcountSource.ADMIN,
        )

    assert selectors.headcounts_on(force=met, day=datetime.date(2026, 2, 28)) == {}
    assert selectors.headcounts_on(force=met, day=datetime.date(2026, 3, 10)) == {"pcso": 120}
    assert selectors.headcounts_on(force=met, day=datetime.date(2026, 3, 19)) == {"pcso": 120}
    assert selectors.headcounts_on(force=met, day=datetime.date(2027, 1, 1)) == {"pcso": 90}


def test_the_benchmark_needs_five_forces_and_leaves_out_missing_figures():
    assert not selectors.benchmark([50.0, 60.0, None, 70.0, 80.0]).available
    result = selectors.benchmark([10.0, 20.0, 30.0, 40.0, 50.0, None])
    assert (result.forces, result.median) == (5, 30.0)
    assert (result.lower_quartile, result.upper_quartile) == (20.0, 40.0)


def test_evidence_forces(db):
    superuser = UserFactory(is_superuser=True)
    evaluator = UserFactory()
    evaluator.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    lead = training_lead("gmp")

    assert (
        selectors.evidence_forces(superuser).count()
        == selectors.evidence_forces(evaluator).count()
        == 48
    )
    assert [f.code for f in selectors.evidence_forces(lead)] == ["gmp"]
    assert not selectors.evidence_forces(UserFactory()).exists()
    assert not selectors.lead_forces(evaluator).exists()


def test_champion_role_becomes_a_flag_with_the_date_they_registered(db):
    migration = importlib.import_module("courses.migrations.0025_evidence")
    profile = learner().learner_profile
    LearnerProfile.objects.filter(pk=profile.pk).update(role="champion")

    from django.apps import apps

    migration.champions_to_flag(apps, None)

    profile.refresh_from_db()
    assert profile.role == LearnerRole.NOT_GIVEN
    assert profile.champion_since == profile.created_at


def test_the_evidence_page_is_for_leads_of_the_force_and_evaluators(client, db):
    lead = training_lead("met")
    evaluator = UserFactory()
    evaluator.groups.add(Group.objects.get(name=PROGRAMME_EVALUATORS_GROUP))
    url = lambda code: reverse("force_dashboard:evidence", args=[code])  # noqa: E731

    client.force_login(lead)
    assert client.get(url("met")).status_code == 200
    assert client.get(url("gmp")).status_code == 404
    client.force_login(evaluator)
    assert client.get(url("gmp")).status_code == 200
    client.force_login(UserFactory(is_staff=True))
    assert client.get(url("met")).status_code in (302, 403)


def test_critical_mass_share_counts_trained_first_responders_against_headcount(two_step_pathway):
    first, second = two_step_pathway
    met = force("met")
    plan = selectors.critical_mass_plan(force=met)
    today = timezone.localdate()
    assert selectors.critical_mass_share(force=met, plan=plan, day=today).share is None
    for role, count in [(LearnerRole.RESPONSE_OFFICER, 3), (LearnerRole.STAFF, 50)]:
        Headcount.objects.create(
            force=met, role=role, count=count, as_of=today, source=HeadcountSource.API
        )
    trained = learner()
    for tree in (first, second):
        complete_module(trained, tree)
    trained.learner_profile.champion_since = timezone.now()
    trained.learner_profile.save()

    share = selectors.critical_mass_share(force=met, plan=plan, day=today)
    assert (share.part, share.whole, share.share) == (1, 3, 33.3)
    yesterday = selectors.critical_mass_share(
        force=met, plan=plan, day=today - datetime.timedelta(days=1)
    )
    assert (yesterday.part, yesterday.whole) == (0, None)
    champions = selectors.champions_share(force=met)
    assert (champions.part, champions.whole, champions.share) == (1, 1, 100.0)


def test_national_shares_agree_with_each_force_and_take_four_queries(
    two_step_pathway, django_assert_num_queries
):
    first, second = two_step_pathway
    today = timezone.localdate()
    # Six forces with 20 response officers each; 10 + i trained, one Champion in each.
    codes = ["met", "gmp", "kent", "essex", "merseyside", "cumbria"]
    for i, code in enumerate(codes):
        Headcount.objects.create(
            force=force(code),
            role=LearnerRole.RESPONSE_OFFICER,
            count=20,
            as_of=today,
            source=HeadcountSource.ADMIN,
        )
        for n in range(10 + i):
            user = learner(code, champion_since=timezone.now() if n == 0 else None)
            for tree in (first, second):
                complete_module(user, tree)

    with django_assert_num_queries(4):
        shares = selectors.national_shares(day=today)
    with django_assert_num_queries(0):  # kept in the cache
        assert selectors.national_shares(day=today) == shares

    for code in codes:
        met = force(code)
        plan = selectors.critical_mass_plan(force=met)
        assert shares[met.pk][0] == selectors.critical_mass_share(force=met, plan=plan, day=today)
        assert shares[met.pk][1] == selectors.champions_share(force=met)
    cm = selectors.critical_mass_benchmark(day=today)
    assert (cm.forces, cm.median) == (6, 62.5)  # 50, 55, 60, 65, 70, 75 per cent
    champions = selectors.champions_benchmark(day=today)
    assert champions.forces == 6
    assert champions.median == round((100 / 12 + 100 / 13) / 2, 1)
