"""Reads for SafeLives' programme evaluators: the national overview of every force's evidence,
a force's figures against the national benchmark, and the evaluator's file (force x UK month x
role group) for a difference-in-differences evaluation.

Aggregates only: nothing here returns a learner. Every count of people in the evaluator's file
from 1 to K_ANONYMITY - 1 is suppressed (an empty cell, named in the row's `suppressed` column);
0 stays 0. Figures in the overview that rest on fewer than K_ANONYMITY people are flagged
(`meets_k` False) for the screen to show "fewer than 10"."""

import bisect
import datetime
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, DateField, Min
from django.db.models.functions import TruncMonth
from django.utils import timezone

from courses.models import (
    K_ANONYMITY,
    ROLE_GROUPS,
    CriticalMassPlan,
    Force,
    Headcount,
    LearnerProfile,
    ModuleProgress,
    role_group,
)
from courses.models import ProgressStatus as Status
from courses.selectors import surveys
from courses.selectors.evidence import (
    Benchmark,
    Share,
    champions_benchmark,
    critical_mass_benchmark,
    day_end,
    meets_k,
    national_shares,
    trained_profiles,
)

# The evaluator's file covers at most this many months (the most recent ones).
EVALUATOR_FILE_MAX_MONTHS = 36

# --- The national overview and a force's benchmark ----------------------------------------------


@dataclass(frozen=True)
class ForceFigures:
    force: Force
    critical_mass: Share
    champions: Share

    @property
    def critical_mass_meets_k(self) -> bool:
        return meets_k(self.critical_mass)

    @property
    def champions_meets_k(self) -> bool:
        return meets_k(self.champions)


@dataclass(frozen=True)
class NationalOverview:
    """Each of `forces`' critical-mass and Champions shares on `day`, and the national
    benchmark of each (across every force that meets k, whichever forces are listed)."""

    day: datetime.date
    forces: list[ForceFigures]
    critical_mass: Benchmark
    champions: Benchmark


def national_overview(*, day: datetime.date, forces: Iterable[Force]) -> NationalOverview:
    """The figures of `forces` (in the order given) and the national benchmarks: national_shares'
    four queries whatever the number of forces (the benchmarks read the same shares from the
    cache)."""
    shares = national_shares(day=day)
    return NationalOverview(
        day=day,
        forces=[ForceFigures(force, *shares[force.pk]) for force in forces],
        critical_mass=critical_mass_benchmark(day=day),
        champions=champions_benchmark(day=day),
    )


# --- The evaluator's file -----------------------------------------------------------------------

EVALUATOR_FILE_COUNTS = ["learners", "trained_in_month", "trained_by_month_end", "headcount"]


def evaluator_file_header(survey_columns: list[str]) -> list[str]:
    """The file's columns, in order; `survey_columns` from surveys.survey_evaluator_header()."""
    return [
        "force_code",
        "force_name",
        "month",
        "role_group",
        "launch_date",
        *EVALUATOR_FILE_COUNTS,
        *survey_columns,
        "suppressed",
    ]


def add_months(month: datetime.date, n: int) -> datetime.date:
    """The first day of the month `n` months after `month`'s (n may be negative)."""
    years, index = divmod(month.month - 1 + n, 12)
    return datetime.date(month.year + years, index + 1, 1)


def month_end(month: datetime.date) -> datetime.date:
    return add_months(month, 1) - datetime.timedelta(days=1)


def evaluator_months(
    *, today: datetime.date, earliest: datetime.date | None
) -> list[datetime.date]:
    """First days of the months the file covers: from `earliest`'s month to the last complete
    month before `today`, at most EVALUATOR_FILE_MAX_MONTHS (the latest ones); none when
    there is no `earliest` or it is not before this month."""
    last = add_months(today.replace(day=1), -1)
    if earliest is None:
        return []
    first = max(earliest.replace(day=1), add_months(last, 1 - EVALUATOR_FILE_MAX_MONTHS))
    months = []
    while first <= last:
        months.append(first)
        first = add_months(first, 1)
    return months


def _uk_month(moment: datetime.datetime) -> datetime.date:
    return timezone.localtime(moment).date().replace(day=1)


# Where counts from before the file's first month are filed.
BEFORE = datetime.date.min


def _in_range(month: datetime.date, first: datetime.date) -> datetime.date:
    return month if month >= first else BEFORE


def _k_count(value: int | None) -> tuple[int | str, bool]:
    """(cell, suppressed): counts 1..K_ANONYMITY-1 become ""; 0 and None ("" ) stay."""
    if value is None:
        return "", False
    if 0 < value < K_ANONYMITY:
        return "", True
    return value, False


@dataclass(frozen=True)
class EvaluatorFile:
    header: list[str]
    months: list[datetime.date]
    rows: list[dict]


def evaluator_file(*, today: datetime.date | None = None) -> EvaluatorFile:
    """One row per force (by name) x UK month (EVALUATOR_FILE_MAX_MONTHS at most, see
    evaluator_months; `earliest` is the earliest launch date or module completion) x role group
    (ROLE_GROUPS, in order), with:

    - launch_date: the force's plan's, or "";
    - learners: active learners of the force in the group who had joined by the month's end;
    - trained_in_month / trained_by_month_end: active learners of the group whose training was
      complete (selectors.trained_profiles) within the month / by its end (UK time);
    - headcount: the sum of the group's roles' latest headcounts on or before the month's end,
      "" when none of its roles has one;
    - the survey columns (surveys.survey_evaluator_header(): respondents, paired learners and
      per statement the pre and post means and the paired shift, from
      surveys.survey_evaluator_table, k-suppressed there as on the force's screens);
    - suppressed: the names of this row's counts left empty because they were from 1 to
      K_ANONYMITY - 1, separated by spaces.

    Learners and roles are as they are now (the force and role on their profile). Six queries
    plus the survey header's and table's, whatever the number of forces, months and learners."""
    today = today or timezone.localdate()
    forces = list(Force.objects.order_by("name").values_list("id", "code", "name"))
    launches = dict(
        CriticalMassPlan.objects.filter(launch_date__isnull=False).values_list(
            "force_id", "launch_date"
        )
    )
    first_completion = ModuleProgress.objects.filter(status=Status.COMPLETED).aggregate(
        at=Min("completed_at")
    )["at"]
    candidates = [*launches.values()]
    if first_completion is not None:
        candidates.append(timezone.localtime(first_completion).date())
    months = evaluator_months(today=today, earliest=min(candidates, default=None))
    survey_columns = surveys.survey_evaluator_header()
    header = evaluator_file_header(survey_columns)
    if not months:
        return EvaluatorFile(header=header, months=[], rows=[])
    first, last = months[0], months[-1]
    until = day_end(month_end(last))

    # Learners by (force, group, month joined) and trained learners by (force, group, month
    # trained), grouped here rather than per cell; the months before the first are summed as
    # its starting point, since "by the month's end" counts are cumulative.
    joined: Counter = Counter()
    for row in (
        LearnerProfile.objects.filter(user__is_active=True, created_at__lt=until)
        .annotate(month=TruncMonth("created_at", output_field=DateField()))
        .values("force_id", "role", "month")
        .annotate(n=Count("id"))
        .order_by()
    ):
        month = _in_range(row["month"], first)
        joined[row["force_id"], role_group(row["role"]), month] += row["n"]
    trained: Counter = Counter()
    for force_id, role, trained_at in (
        trained_profiles(force=None, until=until)
        .values_list("force_id", "role", "trained_at")
        .order_by()
        .iterator(chunk_size=5000)
    ):
        trained[force_id, role_group(role), _in_range(_uk_month(trained_at), first)] += 1

    history: dict[tuple[int, str], list[tuple[datetime.date, int]]] = defaultdict(list)
    for force_id, role, as_of, count in (
        Headcount.objects.filter(as_of__lte=month_end(last))
        .order_by("force_id", "role", "as_of")
        .values_list("force_id", "role", "as_of", "count")
    ):
        history[force_id, role].append((as_of, count))

    def headcount(force_id: int, group: str, day: datetime.date) -> int | None:
        figures = []
        for role in ROLE_GROUPS[group][1]:
            dated = history.get((force_id, str(role)))
            if dated:
                at = bisect.bisect_right(dated, (day, float("inf")))
                if at:
                    figures.append(dated[at - 1][1])
        return sum(figures) if figures else None

    survey_table = surveys.survey_evaluator_table(months=months)
    rows = []
    for force_id, code, name in forces:
        launch = launches.get(force_id)
        for group in ROLE_GROUPS:
            learners = joined[force_id, group, BEFORE]
            trained_total = trained[force_id, group, BEFORE]
            for month in months:
                learners += joined[force_id, group, month]
                trained_total += trained[force_id, group, month]
                counts = {
                    "learners": learners,
                    "trained_in_month": trained[force_id, group, month],
                    "trained_by_month_end": trained_total,
                    "headcount": headcount(force_id, group, month_end(month)),
                }
                row = {
                    "force_code": code,
                    "force_name": name,
                    "month": month.strftime("%Y-%m"),
                    "role_group": group,
                    "launch_date": launch.isoformat() if launch else "",
                }
                suppressed = []
                for column, value in counts.items():
                    row[column], hidden = _k_count(value)
                    if hidden:
                        suppressed.append(column)
                survey = survey_table.get((force_id, month, group), {})
                for column in survey_columns:
                    row[column] = survey.get(column, "")
                row["suppressed"] = " ".join(suppressed)
                rows.append(row)
    return EvaluatorFile(header=header, months=months, rows=rows)
