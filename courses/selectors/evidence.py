"""Shared reads for the evidence of cultural change: who may see which force's evidence, each
force's plan, who is "trained", headcounts on a date, and the national benchmark's statistics.

Definitions (README, "Evidence of cultural change"):
- a learner is *trained* when they have completed every module of their role's pathway (live
  modules only); a role without a pathway, or with an empty one, has nobody trained. The date
  they were trained is when they completed the last of those modules. Learners are counted in
  the force they belong to now, and only while their account is active;
- a force's *headcount* for a role on a date is the latest figure recorded on or before it.
"""

import datetime
import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.cache import cache
from django.db.models import (
    Count,
    DateTimeField,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.utils import timezone

from courses.models import (
    BENCHMARK_MIN_FORCES,
    K_ANONYMITY,
    PROGRAMME_EVALUATORS_GROUP,
    CriticalMassPlan,
    Force,
    Headcount,
    LearnerProfile,
    ModuleProgress,
    PathwayStep,
)
from courses.models import ProgressStatus as Status
from courses.selectors.leads import lead_forces

# --- Who sees what ------------------------------------------------------------------------------


def is_programme_evaluator(user) -> bool:
    """SafeLives staff who see every force's evidence: superusers and members of the
    "Programme evaluators" group. One query (none for a superuser)."""
    return (
        user.is_authenticated
        and user.is_active
        and (user.is_superuser or user.groups.filter(name=PROGRAMME_EVALUATORS_GROUP).exists())
    )


def evidence_forces(user) -> QuerySet[Force]:
    """The forces whose evidence (aggregates only) this account may see, by name: every force
    for superusers and programme evaluators, a training lead's own forces, none otherwise.
    Learner lists stay scoped by lead_forces(); an evaluator who is not a lead sees none."""
    if is_programme_evaluator(user):
        return Force.objects.order_by("name")
    return lead_forces(user)


# --- Plans, trained learners, headcounts --------------------------------------------------------


def critical_mass_plan(*, force: Force) -> CriticalMassPlan:
    """The force's plan, or an unsaved one with the defaults (no launch date). One query."""
    plan = CriticalMassPlan.objects.filter(force=force).first()
    return plan or CriticalMassPlan(force=force)


def trained_profiles(
    *,
    force: Force | None,
    roles: Iterable[str] | None = None,
    until: datetime.datetime | None = None,
    user_id: int | None = None,
) -> QuerySet[LearnerProfile]:
    """Active learners of the force (of every force when `force` is None; optionally of these
    roles, or only the learner with this user id) who had completed every module of their
    role's pathway before `until` (default: now), annotated with `trained_at` (when they
    completed the last of them). One query when evaluated; count() is one query too.

    The trained learners are found by one GROUP BY over completed progress rows of modules on
    the learner's own role's pathway, compared with that pathway's number of live steps (a
    hash join at national scale, not a subquery per learner); `trained_at` is then looked up
    only for the learners returned."""
    on_own_pathway = {
        "status": Status.COMPLETED,
        "module__live": True,
        "module__pathway_steps__pathway__role": F("learner__learner_profile__role"),
    }
    rows = ModuleProgress.objects.filter(learner__is_active=True, **on_own_pathway)
    if force is not None:
        rows = rows.filter(learner__learner_profile__force=force)
    if roles is not None:
        rows = rows.filter(learner__learner_profile__role__in=list(roles))
    if until is not None:
        rows = rows.filter(completed_at__lt=until)
    if user_id is not None:
        # Inside the grouped rows, so that asking about one learner reads only their rows.
        rows = rows.filter(learner_id=user_id)
    steps = (
        PathwayStep.objects.filter(
            pathway__role=OuterRef("learner__learner_profile__role"), module__live=True
        )
        .order_by()
        .values("pathway__role")
        .annotate(n=Count("id"))
        .values("n")
    )
    trained_ids = (
        rows.order_by()
        .values("learner_id", "learner__learner_profile__role")
        .annotate(done=Count("id"), required=Subquery(steps, output_field=IntegerField()))
        .filter(done__gte=F("required"))
        .values("learner_id")
    )
    last = ModuleProgress.objects.filter(
        learner=OuterRef("user_id"),
        status=Status.COMPLETED,
        module__live=True,
        module__pathway_steps__pathway__role=OuterRef("role"),
    )
    if until is not None:
        last = last.filter(completed_at__lt=until)
    last = last.order_by("-completed_at").values("completed_at")[:1]
    return LearnerProfile.objects.filter(user_id__in=trained_ids).annotate(
        trained_at=Subquery(last, output_field=DateTimeField())
    )


def headcounts_on(*, force: Force, day: datetime.date) -> dict[str, int]:
    """Each role's latest headcount recorded on or before `day` (roles with none are left
    out). One query."""
    figures: dict[str, int] = {}
    rows = (
        Headcount.objects.filter(force=force, as_of__lte=day)
        .order_by("role", "-as_of")
        .values_list("role", "count")
    )
    for role, count in rows:
        figures.setdefault(role, count)
    return figures


def day_end(day: datetime.date) -> datetime.datetime:
    """The end of a UK day (midnight after it), as an aware datetime: "trained by `day`"
    means trained before this instant."""
    return timezone.make_aware(
        datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time())
    )


@dataclass(frozen=True)
class Share:
    """`part` of `whole` and the share in per cent (one decimal place); share is None when
    there is no denominator."""

    part: int
    whole: int | None
    share: float | None


def meets_k(share: Share) -> bool:
    """Whether a share rests on at least K_ANONYMITY people (its denominator): the rule for a
    force's figure to count towards a national benchmark."""
    return share.whole is not None and share.whole >= K_ANONYMITY


def _share(part: int, whole: int | None) -> Share:
    return Share(part, whole, round(100 * part / whole, 1) if whole else None)


def critical_mass_share(*, force: Force, plan: CriticalMassPlan, day: datetime.date) -> Share:
    """Trained first responders (the plan's roles) by the end of `day`, against the sum of
    those roles' headcounts on `day` (None when no first-responder role has a headcount).
    Two queries."""
    roles = list(plan.first_responder_roles)
    trained = trained_profiles(force=force, roles=roles, until=day_end(day)).count()
    counts = headcounts_on(force=force, day=day)
    headcount = (
        sum(counts[r] for r in roles if r in counts) if any(r in counts for r in roles) else None
    )
    return _share(trained, headcount)


def champions_share(*, force: Force) -> Share:
    """Champions among the force's trained learners (a Champion counts only while trained and
    active): `part` Champions of `whole` trained. Two queries."""
    trained = trained_profiles(force=force)
    return _share(trained.filter(champion_since__isnull=False).count(), trained.count())


# --- National benchmark -------------------------------------------------------------------------


@dataclass(frozen=True)
class Benchmark:
    """The national distribution of one figure across forces that meet k. Empty (all None)
    when fewer than BENCHMARK_MIN_FORCES forces have the figure, so that no force can work
    out another force's figure from the median and its own."""

    forces: int
    median: float | None
    lower_quartile: float | None
    upper_quartile: float | None

    @property
    def available(self) -> bool:
        return self.median is not None


def benchmark(values: Iterable[float | None]) -> Benchmark:
    """Median and interquartile range of the forces' figures; None values (forces below k or
    without the figure) are left out."""
    figures = sorted(v for v in values if v is not None)
    if len(figures) < BENCHMARK_MIN_FORCES:
        return Benchmark(forces=len(figures), median=None, lower_quartile=None, upper_quartile=None)
    lower, median, upper = statistics.quantiles(figures, n=4, method="inclusive")
    return Benchmark(
        forces=len(figures),
        median=round(median, 1),
        lower_quartile=round(lower, 1),
        upper_quartile=round(upper, 1),
    )


# National figures move slowly and cost a scan of every force's completions (seconds at
# national scale), so they are kept in the cache for this long; a force's own figures are
# always computed live.
NATIONAL_CACHE_SECONDS = 600


def national_shares(*, day: datetime.date) -> dict[int, tuple[Share, Share]]:
    """For every force id: its critical-mass share on `day` (as critical_mass_share) and its
    Champions share at the end of `day` (Champions among those trained by then). From the
    cache when computed in the last NATIONAL_CACHE_SECONDS; otherwise four queries whatever
    the number of forces: plans, headcounts, trained learners grouped by force and role,
    forces."""
    key = f"courses:evidence:national-shares:{day.isoformat()}"
    shares = cache.get(key)
    if shares is None:
        shares = _national_shares(day)
        cache.set(key, shares, NATIONAL_CACHE_SECONDS)
    return shares


def _national_shares(day: datetime.date) -> dict[int, tuple[Share, Share]]:
    end = day_end(day)
    plans = {plan.force_id: plan for plan in CriticalMassPlan.objects.all()}
    latest: dict[tuple[int, str], int] = {}
    for force_id, role, count in (
        Headcount.objects.filter(as_of__lte=day)
        .order_by("force_id", "role", "-as_of")
        .values_list("force_id", "role", "count")
    ):
        latest.setdefault((force_id, role), count)
    trained_ids = trained_profiles(force=None, until=end).values("pk")
    trained: dict[tuple[int, str], tuple[int, int]] = {
        (row["force_id"], row["role"]): (row["trained"], row["champions"])
        for row in LearnerProfile.objects.filter(pk__in=trained_ids)
        .values("force_id", "role")
        .annotate(
            trained=Count("id"),
            champions=Count("id", filter=Q(champion_since__lt=end)),
        )
        .order_by()
    }
    shares = {}
    for force_id in Force.objects.values_list("id", flat=True):
        roles = (plans.get(force_id) or CriticalMassPlan()).first_responder_roles
        counted = [latest[(force_id, r)] for r in roles if (force_id, r) in latest]
        first_responders = sum(trained.get((force_id, r), (0, 0))[0] for r in roles)
        everyone = [v for (f, _), v in trained.items() if f == force_id]
        shares[force_id] = (
            _share(first_responders, sum(counted) if counted else None),
            _share(sum(c for _, c in everyone), sum(t for t, _ in everyone)),
        )
    return shares


def critical_mass_benchmark(*, day: datetime.date) -> Benchmark:
    """The national distribution of forces' critical-mass shares on `day`, over forces whose
    first-responder headcount is at least K_ANONYMITY. As national_shares."""
    return benchmark(
        cm.share if meets_k(cm) else None for cm, _ in national_shares(day=day).values()
    )


def champions_benchmark(*, day: datetime.date) -> Benchmark:
    """The national distribution of forces' Champions shares at the end of `day`, over forces
    with at least K_ANONYMITY trained learners. As national_shares."""
    return benchmark(
        ch.share if meets_k(ch) else None for _, ch in national_shares(day=day).values()
    )
