"""A force's progress to critical mass on a day: trained first responders against their
headcount, the target, the deadline and the pace (README, "Critical mass").

Every figure describes the end of `day` (a UK date): learners trained by then, the headcounts
recorded on or before it. A headcount set part-way through the window applies from its
"as of" date on, so looking at an earlier day gives the figures as they stood then."""

import datetime
import math
from dataclasses import dataclass

from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from courses.models import CriticalMassPlan, Force, Headcount, LearnerRole
from courses.selectors.evidence import critical_mass_plan, day_end, trained_profiles


class CriticalMassState:
    """Where a force stands. Values are stable strings (the API returns them)."""

    NO_LAUNCH_DATE = "no-launch-date"  # the plan has no launch date: nothing to measure
    NO_HEADCOUNT = "no-headcount"  # no first-responder role has a headcount yet: no share
    BEFORE_LAUNCH = "before-launch"  # `day` is before the launch date
    IN_WINDOW = "in-window"  # from the launch date to the deadline, both included
    REACHED = "reached"  # after the deadline; the target was met by the deadline
    MISSED = "missed"  # after the deadline; it was not

    LABELS = {
        NO_LAUNCH_DATE: _("No launch date set"),
        NO_HEADCOUNT: _("No first-responder headcount yet"),
        BEFORE_LAUNCH: _("Before launch"),
        IN_WINDOW: _("In the launch window"),
        REACHED: _("Deadline passed: target reached"),
        MISSED: _("Deadline passed: target missed"),
    }


@dataclass(frozen=True)
class RoleFigures:
    """One first-responder role: trained by the end of the day, its headcount on the day
    (None when none is recorded) and the share in per cent (one decimal place)."""

    role: str
    label: str
    trained: int
    headcount: int | None
    share: float | None


@dataclass(frozen=True)
class CriticalMass:
    """A force's critical-mass figures at the end of `day`.

    - plan: the force's CriticalMassPlan (unsaved defaults when it has none);
      launch_date, deadline = launch_date + plan.window_days (None without a launch date);
    - trained: first responders (learners of the plan's roles) trained by the end of `day`
      (completed every module of their role's pathway), wherever in time they trained;
    - headcount: the sum of the first-responder roles' latest headcounts on or before `day`
      (roles without one add nothing; None when no role has one);
    - share: trained / headcount in per cent, one decimal place (None without a headcount);
    - target_count: ceil(target_percent x headcount / 100), the people to train;
    - still_needed: target_count - trained, never below 0;
    - days_left: days from `day` to the deadline (0 on and after it);
    - pace_needed: people to train per week, from `day` (or the launch, if later) to the
      deadline, to reach the target: still_needed x 7 / days remaining (at least one day);
      0 once the target is reached; None after the deadline or without a headcount;
    - trained_since_launch: first responders trained on or after the launch date;
    - current_pace: trained_since_launch per week since launch, counting the launch day
      and `day` (x 7 / days); None before the launch;
    - projected_date: the day the current pace reaches the target, if it continues
      (None when the target is reached, the pace is zero or there is no headcount);
    - target_reached: trained >= target_count now (False without a headcount);
    - state: a CriticalMassState value; after the deadline, "reached" or "missed" compares
      those trained by the deadline with the target on the deadline's headcount;
    - roles: a RoleFigures for each first-responder role, in the order of job roles.
    """

    day: datetime.date
    plan: CriticalMassPlan
    launch_date: datetime.date | None
    deadline: datetime.date | None
    trained: int
    headcount: int | None
    share: float | None
    target_percent: int
    target_count: int | None
    still_needed: int | None
    days_left: int | None
    pace_needed: float | None
    trained_since_launch: int
    current_pace: float | None
    projected_date: datetime.date | None
    target_reached: bool
    state: str
    roles: list[RoleFigures]

    @property
    def state_label(self) -> str:
        return CriticalMassState.LABELS[self.state]


def _share(part: int, whole: int | None) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _target(percent: int, headcount: int | None) -> int | None:
    # Integer arithmetic: 75% of 1,000 is 750 exactly, never 750.0000001 rounded up.
    return None if headcount is None else -(-percent * headcount // 100)


def _latest(rows: list[tuple[str, int, datetime.date]], day: datetime.date) -> dict[str, int]:
    """Each role's latest count on or before `day`, from rows ordered by role, newest first."""
    figures: dict[str, int] = {}
    for role, count, as_of in rows:
        if as_of <= day:
            figures.setdefault(role, count)
    return figures


def _total(figures: dict[str, int], roles: list[str]) -> int | None:
    counted = [figures[role] for role in roles if role in figures]
    return sum(counted) if counted else None


def critical_mass(*, force: Force, day: datetime.date | None = None) -> CriticalMass:
    """The force's critical-mass figures at the end of `day` (default: today). Three queries:
    the plan, trained first responders grouped by role, the headcounts."""
    day = day or timezone.localdate()
    plan = critical_mass_plan(force=force)
    roles = [role for role in LearnerRole.values if role in set(plan.first_responder_roles)]
    launch = plan.launch_date
    deadline = launch + datetime.timedelta(days=plan.window_days) if launch else None

    def counted_by(date: datetime.date | None):
        return Count("id", filter=Q(trained_at__lt=day_end(date))) if date else Count("id")

    launch_start = day_end(launch - datetime.timedelta(days=1)) if launch else None
    by_role = {
        row["role"]: row
        for row in trained_profiles(force=force, roles=roles, until=day_end(day))
        .values("role")
        .annotate(
            trained=Count("id"),
            since_launch=(
                Count("id", filter=Q(trained_at__gte=launch_start)) if launch else Count("id")
            ),
            by_deadline=counted_by(deadline if deadline and deadline < day else None),
        )
        .order_by()
    }
    rows = list(
        Headcount.objects.filter(force=force, role__in=roles, as_of__lte=day)
        .order_by("role", "-as_of")
        .values_list("role", "count", "as_of")
    )
    on_day = _latest(rows, day)
    headcount = _total(on_day, roles)
    trained = sum(row["trained"] for row in by_role.values())
    since_launch = sum(row["since_launch"] for row in by_role.values()) if launch else 0
    target_count = _target(plan.target_percent, headcount)
    still_needed = max(0, target_count - trained) if target_count is not None else None
    target_reached = still_needed == 0

    days_left = max(0, (deadline - day).days) if deadline else None
    current_pace = None
    pace_needed = None
    projected = None
    if launch and day >= launch:
        elapsed = (day - launch).days + 1  # the launch day and `day` both count
        current_pace = round(since_launch * 7 / elapsed, 1)
        if still_needed and since_launch:
            days = math.ceil(still_needed * elapsed / since_launch)
            projected = day + datetime.timedelta(days=days)
    if deadline and day <= deadline and still_needed is not None:
        remaining = max(1, (deadline - max(day, launch)).days)
        pace_needed = round(still_needed * 7 / remaining, 1)

    if launch is None:
        state = CriticalMassState.NO_LAUNCH_DATE
    elif headcount is None:
        state = CriticalMassState.NO_HEADCOUNT
    elif day < launch:
        state = CriticalMassState.BEFORE_LAUNCH
    elif day <= deadline:
        state = CriticalMassState.IN_WINDOW
    else:
        # A force that recorded its headcount only after the deadline: use today's.
        at_deadline = _total(_latest(rows, deadline), roles)
        at_deadline = headcount if at_deadline is None else at_deadline
        by_deadline = sum(row["by_deadline"] for row in by_role.values())
        met = by_deadline >= _target(plan.target_percent, at_deadline)
        state = CriticalMassState.REACHED if met else CriticalMassState.MISSED

    labels = dict(LearnerRole.choices)
    return CriticalMass(
        day=day,
        plan=plan,
        launch_date=launch,
        deadline=deadline,
        trained=trained,
        headcount=headcount,
        share=_share(trained, headcount),
        target_percent=plan.target_percent,
        target_count=target_count,
        still_needed=still_needed,
        days_left=days_left,
        pace_needed=pace_needed,
        trained_since_launch=since_launch,
        current_pace=current_pace,
        projected_date=projected,
        target_reached=target_reached,
        state=state,
        roles=[
            RoleFigures(
                role=role,
                label=labels[role],
                trained=by_role.get(role, {}).get("trained", 0),
                headcount=on_day.get(role),
                share=_share(by_role.get(role, {}).get("trained", 0), on_day.get(role)),
            )
            for role in roles
        ],
    )


def headcount_history(*, force: Force, limit: int | None = None) -> list[Headcount]:
    """The headcounts recorded for the force (the latest `limit` of them), newest date first,
    with who or which key set them. One query."""
    rows = (
        Headcount.objects.filter(force=force)
        .select_related("recorded_by", "api_key")
        .order_by("-as_of", "role")
    )
    return list(rows[:limit] if limit is not None else rows)
