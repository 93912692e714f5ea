"""Reads for a force training lead's dashboard: one force's figures and the rows behind each.

Scope: callers pass a force they took from `lead_forces(user)`; nothing here widens it.

What is counted (the same rules as the managers' API, so the two agree):
- a module's progress rows count for the force the learner was in when they learned (a
  learner who moves keeps their completions with the old force);
- only rows of published modules, and only of learners whose account is active (leavers and
  erased accounts drop out of every figure and list);
- a learner's role is their current one.
"""

import datetime
from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.utils import timezone

from courses.models import Force, LearnerProfile, LearnerRole, ModulePage, ModuleProgress
from courses.models import ProgressStatus as Status

ACTIVE_DAYS = 30  # "active in the last 30 days"
MONTHS = 12  # completion over time: this month and the eleven before it


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def overdue_q(now: datetime.datetime, prefix: str = "") -> Q:
    """A required module not completed whose due time has passed (the partial index
    moduleprogress_due_idx covers exactly these rows)."""
    return Q(
        **{
            f"{prefix}required": True,
            f"{prefix}status__lt": Status.COMPLETED,
            f"{prefix}due_at__lt": now,
        }
    )


def active_q(now: datetime.datetime, prefix: str = "") -> Q:
    """Activity: a row the learner moved on (started or completed) in the last ACTIVE_DAYS.
    Enrolment alone (a not-started row) is not activity. Rows' `updated_at` changes only when
    the progress engine records something; enrolment updates leave it alone."""
    return Q(
        **{
            f"{prefix}updated_at__gte": now - datetime.timedelta(days=ACTIVE_DAYS),
            f"{prefix}status__gte": Status.IN_PROGRESS,
        }
    )


def month_start(day: datetime.date) -> datetime.datetime:
    """Midnight UK time on the first of `day`'s month, as an aware datetime."""
    return timezone.make_aware(datetime.datetime(day.year, day.month, 1))


def month_range(month: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The UK month containing `month`, as [start, end)."""
    following = (month.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
    return month_start(month), month_start(following)


def last_months(now: datetime.datetime, count: int = MONTHS) -> list[datetime.date]:
    """The first days of the last `count` UK months, oldest first, ending with `now`'s."""
    first = timezone.localtime(now).date().replace(day=1)
    months = [first]
    for _ in range(count - 1):
        months.append((months[-1] - datetime.timedelta(days=1)).replace(day=1))
    return months[::-1]


def force_rows(*, force: Force) -> QuerySet[ModuleProgress]:
    """Every progress row the force's dashboard counts: the force's rows of active learners.
    Callers narrow it to published modules."""
    return ModuleProgress.objects.filter(force=force, learner__is_active=True)


def force_learners(*, force: Force) -> QuerySet[LearnerProfile]:
    """The force's learners: profiles in the force whose account is active."""
    return LearnerProfile.objects.filter(force=force, user__is_active=True)


@dataclass(frozen=True)
class ModuleFigures:
    module: ModulePage
    learners: int
    in_progress: int
    completed: int
    completion_rate: float | None  # completed / learners, percent
    required: int
    overdue: int


@dataclass(frozen=True)
class RoleFigures:
    role: str
    label: str
    learners: int
    completed: int  # module completions by learners with this role
    completion_rate: float | None  # completed / (learners x modules), percent
    overdue: int  # overdue required modules


@dataclass(frozen=True)
class MonthFigures:
    month: datetime.date  # the first day of the UK month
    completed: int


@dataclass(frozen=True)
class ForceDashboard:
    force: Force
    role: str | None
    module: ModulePage | None
    learners: int
    active: int  # distinct learners active in the last ACTIVE_DAYS days
    completed: int
    overdue: int  # overdue required modules (rows)
    overdue_learners: int  # distinct learners with at least one
    modules: list[ModuleFigures]
    roles: list[RoleFigures]
    months: list[MonthFigures]


def force_dashboard(
    *,
    force: Force,
    modules: Sequence[ModulePage],
    role: str | None = None,
    module: ModulePage | None = None,
    now: datetime.datetime | None = None,
) -> ForceDashboard:
    """One force's figures, optionally for one role and/or one module, over `modules` (the
    published modules, which the caller has already read).

    5 queries whatever the size of the force, each one grouped query:
    1. learners per role (profiles, index learner_force_role_idx);
    2. progress rows grouped by module and role: in progress, completed, required, overdue
       (rows of the force, index moduleprogress_summary_idx);
    3. distinct learners active in the last 30 days (index moduleprogress_force_upd_idx);
    4. distinct learners with an overdue module (partial index moduleprogress_due_idx);
    5. completions per UK month over the last 12 months (index moduleprogress_force_done_idx).
    """
    now = now or timezone.now()
    shown = [module] if module is not None else list(modules)
    module_ids = [m.pk for m in shown]

    learners_qs = force_learners(force=force)
    if role:
        learners_qs = learners_qs.filter(role=role)
    by_role_learners = dict(
        learners_qs.order_by().values_list("role").annotate(n=Count("pk")).values_list("role", "n")
    )
    learners = sum(by_role_learners.values())

    rows = force_rows(force=force).filter(module_id__in=module_ids)
    if role:
        rows = rows.filter(learner__learner_profile__role=role)
    groups = (
        rows.order_by()
        .values("module_id", role_name=F("learner__learner_profile__role"))
        .annotate(
            # Not named like the fields: a filter on `required` would read the annotation.
            n_in_progress=Count("pk", filter=Q(status=Status.IN_PROGRESS)),
            n_completed=Count("pk", filter=Q(status=Status.COMPLETED)),
            n_required=Count("pk", filter=Q(required=True)),
            n_overdue=Count("pk", filter=overdue_q(now)),
        )
    )
    per_module: dict[int, dict[str, int]] = {}
    per_role: dict[str, dict[str, int]] = {}
    for group in groups:
        for key, bucket in ((group["module_id"], per_module), (group["role_name"], per_role)):
            sums = bucket.setdefault(key, {})
            for name in ("in_progress", "completed", "required", "overdue"):
                sums[name] = sums.get(name, 0) + group[f"n_{name}"]

    active = rows.filter(active_q(now)).aggregate(n=Count("learner", distinct=True))["n"]
    overdue_learners = rows.filter(overdue_q(now)).aggregate(n=Count("learner", distinct=True))["n"]

    months = last_months(now)
    by_month = dict(
        rows.filter(status=Status.COMPLETED, completed_at__gte=month_start(months[0]))
        .annotate(month=TruncMonth("completed_at"))
        .order_by()
        .values_list("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    by_month_day = {
        timezone.localtime(m).date() if isinstance(m, datetime.datetime) else m: n
        for m, n in by_month.items()
    }

    module_figures = []
    for m in shown:
        sums = per_module.get(m.pk, {})
        completed = sums.get("completed", 0)
        module_figures.append(
            ModuleFigures(
                module=m,
                learners=learners,
                in_progress=sums.get("in_progress", 0),
                completed=completed,
                completion_rate=_percent(completed, learners),
                required=sums.get("required", 0),
                overdue=sums.get("overdue", 0),
            )
        )
    role_figures = []
    for value, label in LearnerRole.choices:
        if role and value != role:
            continue
        sums = per_role.get(value, {})
        role_learners = by_role_learners.get(value, 0)
        completed = sums.get("completed", 0)
        role_figures.append(
            RoleFigures(
                role=value,
                label=str(label),
                learners=role_learners,
                completed=completed,
                completion_rate=_percent(completed, role_learners * len(shown)),
                overdue=sums.get("overdue", 0),
            )
        )
    return ForceDashboard(
        force=force,
        role=role,
        module=module,
        learners=learners,
        active=active,
        completed=sum(f.completed for f in module_figures),
        overdue=sum(f.overdue for f in module_figures),
        overdue_learners=overdue_learners,
        modules=module_figures,
        roles=role_figures,
        months=[MonthFigures(month=m, completed=by_month_day.get(m, 0)) for m in months],
    )


# --- The lists behind the figures ---------------------------------------------------------

# What a progress list row carries: flat values, learner, profile and module title joined in
# one query (no model instances).
PROGRESS_VALUES = (
    "id",
    "status",
    "required",
    "due_at",
    "completed_at",
    "module_id",
)


def dashboard_progress_rows(
    *,
    force: Force,
    module_ids: Sequence[int],
    role: str | None = None,
    module_id: int | None = None,
    status: int | None = None,
    required: bool | None = None,
    overdue: bool | None = None,
    month: datetime.date | None = None,
    active: bool | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[dict]:
    """The force's progress rows (one per learner and module) behind a dashboard figure, as
    dicts: learner's name, email, role and team, the module's title, status, required, due,
    completed at. `module_ids` are the published modules. `month` = completed in that UK
    month. One query per page (plus the count)."""
    now = now or timezone.now()
    rows = force_rows(force=force).filter(module_id__in=module_ids)
    if module_id is not None:
        rows = rows.filter(module_id=module_id)
    if role:
        rows = rows.filter(learner__learner_profile__role=role)
    if status is not None:
        rows = rows.filter(status=status)
    if required is not None:
        rows = rows.filter(required=required)
    if overdue is not None:
        rows = rows.filter(overdue_q(now)) if overdue else rows.exclude(overdue_q(now))
    if month is not None:
        start, end = month_range(month)
        rows = rows.filter(status=Status.COMPLETED, completed_at__gte=start, completed_at__lt=end)
    if active is not None:
        rows = rows.filter(active_q(now)) if active else rows.exclude(active_q(now))
    return rows.values(
        *PROGRESS_VALUES,
        first_name=F("learner__first_name"),
        last_name=F("learner__last_name"),
        email=F("learner__email"),
        profile_id=F("learner__learner_profile__id"),
        role=F("learner__learner_profile__role"),
        team=F("learner__learner_profile__team"),
        module_title=F("module__title"),
    ).order_by("id")


def dashboard_learners(
    *,
    force: Force,
    module_ids: Sequence[int],
    role: str | None = None,
    active: bool | None = None,
    overdue: bool | None = None,
    now: datetime.datetime | None = None,
) -> QuerySet[dict]:
    """The force's learners (active accounts) behind a dashboard figure, as dicts: name,
    email, role, team, staff number. `active` / `overdue` keep those with (or without) a row
    of the force, of a published module, that is active in the last 30 days / overdue. One
    query per page (plus the count)."""
    now = now or timezone.now()
    learners = force_learners(force=force)
    if role:
        learners = learners.filter(role=role)
    theirs = ModuleProgress.objects.filter(
        learner_id=OuterRef("user_id"), force=force, module_id__in=module_ids
    )
    if active is not None:
        found = Exists(theirs.filter(active_q(now)))
        learners = learners.filter(found if active else ~found)
    if overdue is not None:
        found = Exists(theirs.filter(overdue_q(now)))
        learners = learners.filter(found if overdue else ~found)
    return learners.values(
        "id",
        "role",
        "team",
        "staff_number",
        first_name=F("user__first_name"),
        last_name=F("user__last_name"),
        email=F("user__email"),
    ).order_by("user__last_name", "user__first_name", "id")
