"""The rows survey results are computed from, and each force's figures as released: one fetch
of (force, pair key, stage, role, time, statement, answer) rows, shaped into series and decided
by courses.selectors.survey_release. Definitions: courses.selectors.surveys."""

import datetime
import statistics
from dataclasses import dataclass

from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext, gettext_lazy

from courses.models import (
    K_ANONYMITY,
    ROLE_GROUPS,
    AttitudeSurvey,
    SurveyResponse,
    SurveyStage,
    role_group,
)
from courses.selectors.survey_release import (
    DIFFERENCING,
    FEWER_THAN_K,
    NO_ANSWERS,
    History,
    month_range,
    release,
)

STAGES = [SurveyStage.PRE.value, SurveyStage.POST.value, SurveyStage.FOLLOW_UP.value]
GROUPS = list(ROLE_GROUPS)
PREFER_NOT = "prefer_not_to_say"
ANSWER_KEYS = [1, 2, 3, 4, 5, PREFER_NOT]


def _fewer_than_k() -> str:
    return gettext("Fewer than %(k)d learners.") % {"k": K_ANONYMITY}


def _differencing() -> str:
    return gettext("With other figures, it would describe fewer than %(k)d learners.") % {
        "k": K_ANONYMITY
    }


# Translated when they are shown (to each reader in their language), not at import.
REASONS = {
    NO_ANSWERS: gettext_lazy("No answers."),
    FEWER_THAN_K: lazy(_fewer_than_k, str)(),
    DIFFERENCING: lazy(_differencing, str)(),
}


@dataclass(frozen=True)
class Figure:
    """One figure: `value` (a mean or shift to 2 decimal places, a count, or counts per answer)
    and the number of `learners` it is computed from; both None when withheld, with the
    `suppressed` reason. `as_of`: the last day a cumulative figure includes."""

    value: object
    learners: int | None
    suppressed: str | None
    as_of: datetime.date | None = None


# --- Fetching and shaping the rows --------------------------------------------------------------


def current_survey(survey: AttitudeSurvey | None = None) -> AttitudeSurvey | None:
    """The survey reported on: `survey`, else the first live one. One query (none if given)."""
    if survey is not None:
        return survey
    return AttitudeSurvey.objects.originals().filter(live=True).order_by("pk").first()


def first_incomplete_month(now: datetime.datetime | None) -> datetime.date:
    return timezone.localtime(now or timezone.now()).date().replace(day=1)


def fetch_rows(survey, *, force_ids: list[int] | None, before: datetime.date):
    """(force_id, pair_key, stage, role, submitted_at, statement_id, value) for every answer
    (and every response without one) before the first of `before`'s month. One query."""
    cutoff = timezone.make_aware(datetime.datetime.combine(before, datetime.time()))
    responses = SurveyResponse.objects.filter(survey=survey, submitted_at__lt=cutoff)
    if force_ids is not None:
        responses = responses.filter(force_id__in=force_ids)
    return responses.order_by().values_list(
        "force_id",
        "pair_key",
        "stage",
        "role",
        "submitted_at",
        "answers__statement_id",
        "answers__value",
    )


def _series(rows) -> tuple[dict, datetime.date | None]:
    """Entries of every series of one force: key (statement or None, measure, stage) ->
    {pair_key: (group, month, payload)}; and the first month with a response."""
    series: dict[tuple, dict] = {}
    answers: dict[tuple, object] = {}
    where: dict[tuple, tuple[str, datetime.date]] = {}
    first = None
    for _, key, stage, role, submitted_at, statement, value in rows:
        month = timezone.localtime(submitted_at).date().replace(day=1)
        first = month if first is None else min(first, month)
        place = (role_group(role), month)
        where[(key, stage)] = place
        series.setdefault((None, "respondents", stage), {})[key] = (*place, None)
        if statement is None:
            continue
        answers[(key, stage, statement)] = value
        series.setdefault((statement, "counts", stage), {})[key] = (*place, value)
        if value is not None:
            series.setdefault((statement, "mean", stage), {})[key] = (*place, value)
    pre, post = SurveyStage.PRE.value, SurveyStage.POST.value
    for (key, stage), place in where.items():
        if stage != post or (key, pre) not in where:
            continue
        series.setdefault((None, "pairs", post), {})[key] = (*place, None)
    for (key, stage, statement), value in answers.items():
        before = answers.get((key, pre, statement))
        if stage == post and value is not None and before is not None:
            series.setdefault((statement, "shift", post), {})[key] = (
                *where[(key, post)],
                value - before,
            )
    return series, first


def _value(measure: str, payloads: list):
    if measure in ("respondents", "pairs"):
        return len(payloads)
    if measure == "counts":
        counts = dict.fromkeys(ANSWER_KEYS, 0)
        for value in payloads:
            counts[PREFER_NOT if value is None else value] += 1
        return counts
    return round(statistics.fmean(payloads), 2)


class ForceReleases:
    """Every series of one force decided over the complete months up to `last_month`."""

    def __init__(self, rows, *, last_month: datetime.date | None):
        entries, first = _series(rows)
        self.months = month_range(first, last_month) if first and last_month else []
        self.entries = entries
        self.histories: dict[tuple, History] = {
            key: release(e, groups=GROUPS, months=self.months, k=K_ANONYMITY)
            for key, e in entries.items()
        }

    def figure(self, key: tuple, *, group: str | None, month: datetime.date | None) -> Figure:
        """The figure of series `key` for a role group (None: all) and a month (None: the
        cumulative figure as last released)."""
        history = self.histories.get(key)
        if history is None or not self.months:
            return Figure(None, None, NO_ANSWERS)
        if month is None:
            cell = history.cumulative(group, self.months[-1])
        else:
            cell = history.month_cell(group, month)
        if cell is None:
            return Figure(None, None, NO_ANSWERS)
        as_of = None
        if cell.month is None:
            as_of = (cell.through + datetime.timedelta(days=32)).replace(
                day=1
            ) - datetime.timedelta(days=1)
        if not cell.released:
            return Figure(None, None, cell.reason, as_of)
        entries = self.entries[key]
        payloads = [entries[k][2] for k in cell.population]
        return Figure(_value(key[1], payloads), len(payloads), None, as_of)
