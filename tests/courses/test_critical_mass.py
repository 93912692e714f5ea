"""Critical mass on a fixed clock: a force launched on 2 March 2026 with a 91-day window
(deadline 1 June 2026) and the default 75% of its first responders to train."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from courses import selectors, services
from courses.models import (
    AuditAction,
    AuditEvent,
    CriticalMassPlan,
    Headcount,
    LearnerRole,
    ModuleProgress,
    Pathway,
    PathwayStep,
)
from courses.selectors import CriticalMassState as State
from tests.conftest import build_module_tree, complete_module
from tests.factories import force, learner

LAUNCH = datetime.date(2026, 3, 2)
DEADLINE = datetime.date(2026, 6, 1)


def at(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(10)))


@pytest.fixture
def pathway(home_page):
    """One short module that response officers, PCSOs and staff must take."""
    tree = build_module_tree(home_page, title="Core", lessons=1)
    for role in (LearnerRole.RESPONSE_OFFICER, LearnerRole.PCSO, LearnerRole.STAFF):
        PathwayStep.objects.create(
            pathway=Pathway.objects.create(role=role), module=tree.module, days_to_complete=28
        )
    return tree


def train(tree, day: datetime.date, *, role=LearnerRole.RESPONSE_OFFICER, code="met"):
    user = learner(code, role=role)
    complete_module(user, tree)
    ModuleProgress.objects.filter(learner=user).update(completed_at=at(day))
    return user


def headcount(role, count, as_of, code="met"):
    services.headcount_set(
        force=force(code), role=role, count=count, as_of=as_of, today=datetime.date(2026, 12, 1)
    )


def launch(code="met", **fields):
    values = {
        "launch_date": LAUNCH,
        "first_responder_roles": [LearnerRole.RESPONSE_OFFICER, LearnerRole.PCSO],
        "target_percent": 75,
        "window_days": 91,
        "champion_target_percent": 10,
        **fields,
    }
    return services.critical_mass_plan_save(force=force(code), **values)


@pytest.fixture
def launched(pathway):
    """20 response officers and 10 PCSOs; 2 trained in a pilot before launch, then one every
    four days from launch for ten people, and a member of staff (not a first responder)."""
    launch()
    headcount(LearnerRole.RESPONSE_OFFICER, 20, datetime.date(2026, 2, 1))
    headcount(LearnerRole.PCSO, 10, datetime.date(2026, 2, 1))
    train(pathway, datetime.date(2026, 2, 15))
    train(pathway, datetime.date(2026, 2, 16), role=LearnerRole.PCSO)
    for n in range(10):
        train(pathway, LAUNCH + datetime.timedelta(days=4 * n))
    train(pathway, LAUNCH, role=LearnerRole.STAFF)
    return pathway


def test_inside_the_window(launched, django_assert_num_queries):
    day = datetime.date(2026, 4, 12)  # 42 days counting the launch day: six weeks
    met = force("met")
    with django_assert_num_queries(3):
        cm = selectors.critical_mass(force=met, day=day)

    assert (cm.launch_date, cm.deadline, cm.state) == (LAUNCH, DEADLINE, State.IN_WINDOW)
    assert (cm.trained, cm.headcount, cm.share) == (12, 30, 40.0)
    assert (cm.target_count, cm.still_needed, cm.days_left) == (23, 11, 50)  # ceil(22.5)
    assert cm.trained_since_launch == 10
    assert cm.current_pace == round(10 * 7 / 42, 1) == 1.7
    assert cm.pace_needed == round(11 * 7 / 50, 1) == 1.5
    # 11 more at 10 per 42 days: ceil(46.2) = 47 days on.
    assert cm.projected_date == day + datetime.timedelta(days=47)
    assert not cm.target_reached
    assert [(r.role, r.trained, r.headcount, r.share) for r in cm.roles] == [
        ("response-officer", 11, 20, 55.0),
        ("pcso", 1, 10, 10.0),
    ]


def test_before_launch_counts_the_pilot_and_needs_the_whole_window(launched):
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 2, 20))

    assert cm.state == State.BEFORE_LAUNCH
    assert (cm.trained, cm.headcount, cm.still_needed) == (2, 30, 21)
    assert (cm.current_pace, cm.projected_date, cm.trained_since_launch) == (None, None, 0)
    assert cm.pace_needed == round(21 * 7 / 91, 1)
    assert cm.days_left == (DEADLINE - datetime.date(2026, 2, 20)).days


def test_a_headcount_change_mid_window_applies_from_its_date(launched):
    headcount(LearnerRole.RESPONSE_OFFICER, 40, datetime.date(2026, 4, 1))
    met = force("met")

    before = selectors.critical_mass(force=met, day=datetime.date(2026, 3, 31))
    after = selectors.critical_mass(force=met, day=datetime.date(2026, 4, 1))

    assert (before.headcount, before.target_count) == (30, 23)
    assert (after.headcount, after.target_count) == (50, 38)  # ceil(37.5)
    assert after.roles[0].headcount == 40
    # History is kept: both figures are still there.
    assert Headcount.objects.filter(force=met, role="response-officer").count() == 2


def test_after_the_deadline_missed(launched):
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 7, 1))
    assert cm.state == State.MISSED
    assert (cm.days_left, cm.pace_needed) == (0, None)
    assert cm.current_pace == round(10 * 7 / ((datetime.date(2026, 7, 1) - LAUNCH).days + 1), 1)


def test_after_the_deadline_reached_by_the_deadline(launched):
    for _ in range(11):
        train(launched, datetime.date(2026, 5, 20))
    train(launched, datetime.date(2026, 6, 20))  # after the deadline: does not count for it
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 7, 1))

    assert cm.state == State.REACHED
    assert (cm.trained, cm.still_needed, cm.target_reached, cm.projected_date) == (
        24,
        0,
        True,
        None,
    )


def test_one_short_at_the_deadline_is_missed_even_if_reached_later(launched):
    for _ in range(10):
        train(launched, datetime.date(2026, 5, 20))
    train(launched, datetime.date(2026, 6, 2))  # the day after the deadline
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 7, 1))
    assert (cm.state, cm.target_reached) == (State.MISSED, True)


def test_no_headcount(pathway):
    launch()
    train(pathway, LAUNCH)
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 4, 1))
    assert cm.state == State.NO_HEADCOUNT
    assert (cm.trained, cm.headcount, cm.share, cm.target_count) == (1, None, None, None)
    assert (cm.pace_needed, cm.projected_date, cm.target_reached) == (None, None, False)
    assert cm.current_pace is not None


def test_no_launch_date_uses_the_default_plan(pathway):
    headcount(LearnerRole.CALL_HANDLER, 12, datetime.date(2026, 1, 1))
    cm = selectors.critical_mass(force=force("met"), day=datetime.date(2026, 4, 1))
    assert cm.state == State.NO_LAUNCH_DATE
    assert cm.plan.pk is None
    assert (cm.deadline, cm.days_left, cm.current_pace, cm.pace_needed) == (None,) * 4
    assert [r.role for r in cm.roles] == [
        "response-officer",
        "pcso",
        "call-handler",
        "supervisor",
    ]
    assert (cm.headcount, cm.target_count) == (12, 9)


def test_another_force_figures_are_its_own(launched):
    train(launched, LAUNCH, code="gmp")
    cm = selectors.critical_mass(force=force("gmp"), day=datetime.date(2026, 4, 1))
    assert (cm.state, cm.trained, cm.headcount) == (State.NO_LAUNCH_DATE, 1, None)


# --- Services -----------------------------------------------------------------------------------


def test_setting_the_same_day_again_replaces_it_and_is_audited(db):
    met = force("met")
    day = datetime.date(2026, 3, 1)
    services.headcount_set(force=met, role="pcso", count=10, as_of=day)
    services.headcount_set(force=met, role="pcso", count=12, as_of=day)
    assert list(Headcount.objects.values_list("count", flat=True)) == [12]
    events = AuditEvent.objects.filter(action=AuditAction.HEADCOUNT_SET, force_code="met")
    assert events.count() == 2


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"role": "not-given"}, "role"),
        ({"role": "champion"}, "role"),
        ({"count": -1}, "count"),
        ({"count": 100_001}, "count"),
        ({"count": True}, "count"),
        ({"count": 12.5}, "count"),
        ({"as_of": datetime.date(2026, 3, 3)}, "as_of"),  # two days after "today"
        ({"as_of": datetime.date(2001, 1, 1)}, "as_of"),
    ],
)
def test_bad_headcounts_are_refused_and_nothing_is_written(db, fields, field):
    values = {"role": "pcso", "count": 10, "as_of": datetime.date(2026, 3, 2), **fields}
    with pytest.raises(ValidationError) as refused:
        services.headcount_set(force=force("met"), today=datetime.date(2026, 3, 1), **values)
    assert set(refused.value.message_dict) == {field}
    assert not Headcount.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.HEADCOUNT_SET).exists()


def test_several_headcounts_are_all_or_nothing(db):
    with pytest.raises(ValidationError) as refused:
        services.headcounts_set(
            force=force("met"),
            as_of=datetime.date(2026, 3, 1),
            counts={"pcso": 10, "response-officer": -5},
        )
    assert set(refused.value.message_dict) == {"response-officer"}
    assert not Headcount.objects.exists()


def test_the_plan_is_saved_and_checked(db):
    plan = launch(first_responder_roles=["pcso", "response-officer"])
    assert plan.first_responder_roles == ["response-officer", "pcso"]  # job roles' order
    assert CriticalMassPlan.objects.get(force=force("met")).launch_date == LAUNCH
    assert AuditEvent.objects.filter(action=AuditAction.CRITICAL_MASS_PLAN_SAVED).count() == 1
    with pytest.raises(ValidationError) as refused:
        launch(first_responder_roles=[], target_percent=0, window_days=1000)
    assert set(refused.value.message_dict) == {
        "first_responder_roles",
        "target_percent",
        "window_days",
    }
    assert CriticalMassPlan.objects.get(force=force("met")).target_percent == 75


# --- Demo ---------------------------------------------------------------------------------------


def test_the_demo_launches_each_force_six_weeks_ago_and_is_idempotent(db):
    from courses.demo import evidence_a

    now = timezone.now()
    forces = [force("met"), force("cumbria")]
    evidence_a.seed(forces=forces, now=now)
    evidence_a.seed(forces=forces, now=now + datetime.timedelta(days=1))

    assert Headcount.objects.filter(force=forces[0]).count() == 7  # six roles, one update
    met = selectors.critical_mass(force=forces[0], day=now.date())
    cumbria = selectors.critical_mass(force=forces[1], day=now.date())
    assert met.launch_date == now.date() - datetime.timedelta(weeks=6)
    assert met.state == State.IN_WINDOW and met.still_needed > 0
    assert met.headcount > cumbria.headcount > 0
    assert met.pace_needed > 0 and met.current_pace == 0.0
