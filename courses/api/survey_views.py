"""GET /api/v1/forces/<code>/survey-results/: a force's k-anonymous attitude survey results, as
JSON per statement or `?format=csv` (one row per statement and stage). Aggregates only: every
figure comes from selectors.survey_results(), which withholds what would describe fewer than k
learners; free text is never part of it."""

import datetime
import re

from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import ValidationError
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from courses import selectors
from courses.api import survey_schema
from courses.api.csv import CSVRenderer, csv_streaming_response
from courses.api.manager_views import ForceScopedAPIView
from courses.models import Force, SurveyResponse
from courses.selectors.surveys import REASONS, STAGES, SurveyFilterError

MONTH_RE = re.compile(r"(\d{4})-(\d{2})")
ANSWER_COLUMNS = {
    1: "strongly_disagree",
    2: "disagree",
    3: "neither",
    4: "agree",
    5: "strongly_agree",
    "prefer_not_to_say": "prefer_not_to_say",
}


def figure_json(figure) -> dict:
    value = figure.value
    if isinstance(value, dict):
        value = {ANSWER_COLUMNS[answer]: count for answer, count in value.items()}
    return {
        "value": value,
        "learners": figure.learners,
        "suppressed": figure.suppressed,
        "as_of": figure.as_of.isoformat() if figure.as_of else None,
    }


def results_json(force: Force, results) -> dict:
    return {
        "force": force.code,
        "survey": {"id": results.survey_id, "title": results.title} if results.survey_id else None,
        "role_group": results.role_group,
        "month": results.month.strftime("%Y-%m") if results.month else None,
        "released_until": results.released_until.isoformat() if results.released_until else None,
        "months": [m.strftime("%Y-%m") for m in results.months],
        "suppression_reasons": REASONS,
        "respondents": {stage: figure_json(f) for stage, f in results.respondents.items()},
        "paired_learners": figure_json(results.paired_learners),
        "statements": [
            {
                "id": statement.id,
                "text": statement.text,
                "stages": {
                    stage: {
                        "counts": figure_json(figures.counts),
                        "mean": figure_json(figures.mean),
                    }
                    for stage, figures in statement.stages.items()
                },
                "paired_shift": figure_json(statement.shift),
            }
            for statement in results.statements
        ],
    }


def csv_rows(results):
    """One row per statement and stage; the paired shift is on the post row."""
    for statement in results.statements:
        for stage in STAGES:
            figures = statement.stages[stage]
            counts = figures.counts.value or {}
            shift = statement.shift if stage == "post" else None
            yield {
                "statement_id": statement.id,
                "statement": statement.text,
                "stage": stage,
                "respondents": figures.counts.learners,
                **{column: counts.get(answer) for answer, column in ANSWER_COLUMNS.items()},
                "mean": figures.mean.value,
                "mean_learners": figures.mean.learners,
                "paired_shift": shift.value if shift else None,
                "paired_learners": shift.learners if shift else None,
                "as_of": next(
                    (f.as_of for f in (figures.counts, figures.mean, shift) if f and f.as_of), None
                ),
            }


def parse_month(value: str | None) -> datetime.date | None:
    if value is None:
        return None
    match = MONTH_RE.fullmatch(value)
    if match and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    raise ValidationError({"month": [gettext("Give a month as YYYY-MM, e.g. 2026-01.")]})


@extend_schema(**survey_schema.SURVEY_RESULTS)
class ForceSurveyResultsView(ForceScopedAPIView):
    queryset = SurveyResponse.objects.none()  # for the schema only; nothing is listed
    renderer_classes = [JSONRenderer, CSVRenderer]
    allowed_query_parameters = frozenset({"format", "role_group", "month"})

    def force_queryset(self, *, force: Force):
        return SurveyResponse.objects.none()

    def get(self, request, code):
        params = request.query_params
        month = parse_month(params.get("month"))
        try:
            results = selectors.survey_results(
                force=self.force, role_group=params.get("role_group"), month=month
            )
        except SurveyFilterError as error:
            allowed = ", ".join(error.allowed) or gettext("none yet")
            told = gettext("%(problem)s Allowed: %(allowed)s.") % {
                "problem": error.message,
                "allowed": allowed,
            }
            raise ValidationError({error.field: [told]}) from None
        self.log_access(row_count=len(results.statements))
        if request.accepted_renderer.format == "csv":
            return csv_streaming_response(
                header=survey_schema.SURVEY_RESULTS_CSV_HEADER,
                rows=csv_rows(results),
                filename=f"{self.force.code}-survey-results.csv",
            )
        return Response(results_json(self.force, results))
