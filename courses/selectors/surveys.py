"""k-anonymous attitude survey results: per statement, the counts per answer and the mean at each
stage (pre, post, follow-up), and the paired shift, per force, by role group and month; the
national benchmark of paired shifts; the survey columns of the evaluator's file.

Definitions (docs/evidence.md, "Attitude survey results"):
- a learner is identified only by their responses' random `pair_key`; the role group and UK
  month of a figure are those of the response (for a paired shift and for paired learners: of
  the post response, "by month of completion");
- *counts* of a statement at a stage: everyone who answered it at that stage (including
  "prefer not to say"), per answer; *mean*: over those who gave a 1..5 answer; *paired shift*:
  the mean of post minus pre over learners who gave a 1..5 answer at both stages;
- only complete UK months are reported (responses before the first of the current month).

Every figure is released or withheld by courses.selectors.survey_release (k = K_ANONYMITY,
differencing, steps of at least k between releases of a cumulative figure); a withheld figure
has value None and a reason. Free text is never read here.

Queries: survey_results() three (the survey, its statements, the force's answers);
survey_evaluator_table() and paired_shift_benchmark() three or four whatever the number of
forces. Everything else is computed in Python from those rows.
"""

import datetime
from dataclasses import dataclass

from django.utils.translation import gettext

from courses.models import ROLE_GROUPS, AttitudeSurvey, Force, SurveyStage
from courses.selectors.evidence import Benchmark, benchmark
from courses.selectors.survey_figures import (
    GROUPS,
    REASONS,
    STAGES,
    Figure,
    ForceReleases,
    current_survey,
    fetch_rows,
    first_incomplete_month,
)
from courses.selectors.survey_release import NO_ANSWERS

__all__ = [
    "REASONS",
    "STAGES",
    "SURVEY_EVALUATOR_HEADER",
    "Figure",
    "ShiftBenchmark",
    "StageFigures",
    "StatementResults",
    "SurveyFilterError",
    "SurveyResults",
    "paired_shift_benchmark",
    "survey_evaluator_columns",
    "survey_evaluator_header",
    "survey_evaluator_table",
    "survey_results",
]


class SurveyFilterError(ValueError):
    """A role group or month that cannot be reported; `allowed` lists the values that can."""

    def __init__(self, field: str, message: str, allowed: list[str]):
        super().__init__(message)
        self.field, self.message, self.allowed = field, message, allowed


@dataclass(frozen=True)
class StageFigures:
    counts: Figure
    mean: Figure


@dataclass(frozen=True)
class StatementResults:
    id: int
    text: str
    stages: dict[str, StageFigures]
    shift: Figure


@dataclass(frozen=True)
class SurveyResults:
    survey_id: int | None
    title: str
    role_group: str | None
    month: datetime.date | None
    released_until: datetime.date | None  # the last day of the last complete month reported
    months: list[datetime.date]  # the months that may be asked for
    respondents: dict[str, Figure]
    paired_learners: Figure
    statements: list[StatementResults]


def _months_allowed(force_months: list[datetime.date]) -> list[str]:
    return [m.strftime("%Y-%m") for m in force_months]


# --- Results per force --------------------------------------------------------------------------


def survey_results(
    *,
    force: Force,
    role_group: str | None = None,
    month: datetime.date | None = None,
    now: datetime.datetime | None = None,
    survey: AttitudeSurvey | None = None,
) -> SurveyResults:
    """The force's k-anonymous results of the live survey (or `survey`) for every learner or a
    ROLE_GROUPS key, and for one complete UK month (its first day) or cumulatively. Raises
    SurveyFilterError for an unknown role group or a month that is not one of the force's
    complete months. Three queries (two without a survey)."""
    if role_group is not None and role_group not in ROLE_GROUPS:
        raise SurveyFilterError("role_group", gettext("Unknown role group."), GROUPS)
    survey = current_survey(survey)
    if survey is None:
        if month is not None:
            raise SurveyFilterError("month", gettext("There are no survey results yet."), [])
        return SurveyResults(
            None, "", role_group, None, None, [], {}, Figure(None, None, NO_ANSWERS), []
        )
    statements = list(survey.statements.order_by("sort_order", "pk").values_list("pk", "text"))
    before = first_incomplete_month(now)
    last = (before - datetime.timedelta(days=1)).replace(day=1)
    releases = ForceReleases(
        fetch_rows(survey, force_ids=[force.pk], before=before), last_month=last
    )
    if month is not None and month not in releases.months:
        allowed = _months_allowed(releases.months)
        raise SurveyFilterError(
            "month",
            gettext("Choose a complete month with survey results.")
            if allowed
            else gettext("There are no complete months of survey results yet."),
            allowed,
        )

    def figure(statement, measure, stage):
        return releases.figure((statement, measure, stage), group=role_group, month=month)

    post = SurveyStage.POST.value
    return SurveyResults(
        survey_id=survey.pk,
        title=survey.title,
        role_group=role_group,
        month=month,
        released_until=before - datetime.timedelta(days=1) if releases.months else None,
        months=releases.months,
        respondents={stage: figure(None, "respondents", stage) for stage in STAGES},
        paired_learners=figure(None, "pairs", post),
        statements=[
            StatementResults(
                id=pk,
                text=text,
                stages={
                    stage: StageFigures(
                        counts=figure(pk, "counts", stage), mean=figure(pk, "mean", stage)
                    )
                    for stage in STAGES
                },
                shift=figure(pk, "shift", post),
            )
            for pk, text in statements
        ],
    )


# --- Across forces: the benchmark and the evaluator's file --------------------------------------


def _all_forces(*, before: datetime.date, force_ids=None) -> tuple[list, dict[int, ForceReleases]]:
    survey = current_survey()
    if survey is None:
        return [], {}
    statements = list(survey.statements.order_by("sort_order", "pk").values_list("pk", "text"))
    by_force: dict[int, list] = {}
    for row in fetch_rows(survey, force_ids=force_ids, before=before):
        by_force.setdefault(row[0], []).append(row)
    last = (before - datetime.timedelta(days=1)).replace(day=1)
    return statements, {
        force_id: ForceReleases(rows, last_month=last) for force_id, rows in by_force.items()
    }


@dataclass(frozen=True)
class ShiftBenchmark:
    statement_id: int
    text: str
    force_shift: Figure
    national: Benchmark


def paired_shift_benchmark(*, force: Force, now: datetime.datetime | None = None) -> list:
    """Per statement of the live survey: the force's overall paired shift as released (value
    None when withheld) and the national Benchmark of every force's released overall paired
    shift (forces whose shift is withheld are left out). Three queries for every force."""
    statements, releases = _all_forces(before=first_incomplete_month(now))
    missing = Figure(None, None, NO_ANSWERS)
    result = []
    for pk, text in statements:
        key = (pk, "shift", SurveyStage.POST.value)
        shifts = {
            force_id: r.figure(key, group=None, month=None) for force_id, r in releases.items()
        }
        result.append(
            ShiftBenchmark(
                statement_id=pk,
                text=text,
                force_shift=shifts.get(force.pk, missing),
                national=benchmark(f.value for f in shifts.values()),
            )
        )
    return result


# The survey columns of the evaluator's file, in order, after force, month and role group,
# before the per-statement columns (survey_evaluator_header() gives them all).
SURVEY_EVALUATOR_HEADER: list[str] = [
    "survey_respondents_pre",
    "survey_respondents_post",
    "survey_paired_learners",
]
STATEMENT_COLUMNS = ("pre_mean", "post_mean", "paired_shift")


def survey_evaluator_header(*, now: datetime.datetime | None = None) -> list[str]:
    """SURVEY_EVALUATOR_HEADER and, per statement of the live survey in order,
    statement_<n>_pre_mean, statement_<n>_post_mean, statement_<n>_paired_shift. Two queries."""
    survey = current_survey()
    count = survey.statements.count() if survey else 0
    return [
        *SURVEY_EVALUATOR_HEADER,
        *(f"statement_{n}_{column}" for n in range(1, count + 1) for column in STATEMENT_COLUMNS),
    ]


def _evaluator_row(releases: ForceReleases, statements, month, group) -> dict:
    def cell(key):
        figure = releases.figure(key, group=group, month=month)
        return "" if figure.value is None else figure.value

    pre, post = SurveyStage.PRE.value, SurveyStage.POST.value
    row = {
        "survey_respondents_pre": cell((None, "respondents", pre)),
        "survey_respondents_post": cell((None, "respondents", post)),
        "survey_paired_learners": cell((None, "pairs", post)),
    }
    for n, (pk, _) in enumerate(statements, start=1):
        row[f"statement_{n}_pre_mean"] = cell((pk, "mean", pre))
        row[f"statement_{n}_post_mean"] = cell((pk, "mean", post))
        row[f"statement_{n}_paired_shift"] = cell((pk, "shift", post))
    return row


def survey_evaluator_table(
    *,
    months: list[datetime.date],
    now: datetime.datetime | None = None,
    force_ids: list[int] | None = None,
) -> dict[tuple[int, datetime.date, str], dict]:
    """{(force_id, month, role group key): the survey columns} for every force (or those
    ids) with responses, each of `months` (first days) and each ROLE_GROUPS key, k-suppressed
    as on the force's screens ("" when withheld; months not yet complete are all ""). Forces
    without responses are left out: their cells are all "". Three queries."""
    statements, releases = _all_forces(before=first_incomplete_month(now), force_ids=force_ids)
    table = {}
    for force_id, force_releases in releases.items():
        for month in months:
            for group in GROUPS:
                month_key = month if month in force_releases.months else None
                row = (
                    _evaluator_row(force_releases, statements, month_key, group)
                    if month_key
                    else {}
                )
                table[(force_id, month, group)] = row
    return table


def survey_evaluator_columns(
    *, force: Force, month: datetime.date, role_group: str, now: datetime.datetime | None = None
) -> dict:
    """The survey columns (survey_evaluator_header()) of the evaluator's file for one force,
    UK month (its first day) and ROLE_GROUPS key, every figure k-suppressed ("" when
    suppressed). For many forces use survey_evaluator_table(), which fetches once."""
    table = survey_evaluator_table(months=[month], now=now, force_ids=[force.pk])
    return table.get((force.pk, month, role_group), {})
