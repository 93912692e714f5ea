"""k-anonymous attitude survey results. (The contract below is what the evaluator's file and
the benchmark build on; the suppression rules and results live here.)"""

import datetime

from courses.models import Force

# The survey columns of the evaluator's file, in order, after force, month and role group.
SURVEY_EVALUATOR_HEADER: list[str] = []


def survey_evaluator_columns(*, force: Force, month: datetime.date, role_group: str) -> dict:
    """The survey columns (SURVEY_EVALUATOR_HEADER) of the evaluator's file for one force,
    UK month (its first day) and ROLE_GROUPS key, every figure k-suppressed ("" when
    suppressed)."""
    return {}


def paired_shift_benchmark(*, force: Force) -> list:
    """Per statement of the force's survey: the force's paired shift (None when suppressed)
    and the national Benchmark of forces' paired shifts."""
    return []


# --- Task E: the evaluator's file reads every cell's survey columns at once ----------------------


def survey_evaluator_table(
    *, months: list[datetime.date]
) -> dict[tuple[int, datetime.date, str], dict]:
    """The survey columns (SURVEY_EVALUATOR_HEADER) of the evaluator's file for every force,
    each of `months` (their first days) and every ROLE_GROUPS key, keyed by (force id, month,
    role group) and k-suppressed like survey_evaluator_columns; cells with no figures may be
    left out. A bounded number of queries, whatever the number of forces and months."""
    return {}
