"""A force's evidence against the national benchmark (manager keys, force-scoped): its own
critical-mass and Champions shares and the national distribution of each, and the paired
attitude shift per survey statement. Another force's figure is never named: the national
figures are a median and quartiles across at least BENCHMARK_MIN_FORCES forces that meet k."""

import dataclasses
import datetime

from django.utils import timezone
from drf_spectacular.utils import extend_schema
from rest_framework.response import Response

from courses import selectors
from courses.api import benchmark_schema
from courses.api.manager_serializers import ForceSerializer, national_benchmark_data
from courses.api.manager_views import ForceScopedAPIView
from courses.api.query import parse_date
from courses.models import Force
from courses.selectors import evaluation
from courses.selectors import surveys as survey_selectors


def _jsonable(value):
    """Dataclasses (Share, Benchmark, ...) as dicts, recursively; other values unchanged."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, dict):
        return {key: _jsonable(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(item) for item in value]
    return value


def _figure(share: selectors.Share, national: selectors.Benchmark) -> dict:
    return {
        "share": share.share,
        "meets_k": evaluation.meets_k(share),
        "national": national_benchmark_data(national),
    }


@extend_schema(**benchmark_schema.BENCHMARK)
class ForceBenchmarkView(ForceScopedAPIView):
    """GET /api/v1/forces/<code>/benchmark/[?day=YYYY-MM-DD]. Five queries for the shares
    and benchmarks (the plan of every force, headcounts, trained learners, forces: four, from
    selectors.national_shares) plus the survey shift's and the access log's."""

    queryset = Force.objects.none()  # for the schema only; nothing here is a learner row
    allowed_query_parameters = frozenset({"format", "day"})

    def force_queryset(self, *, force: Force):
        return Force.objects.filter(pk=force.pk)

    def get(self, request, code):
        day = self.day()
        overview = evaluation.national_overview(day=day, forces=[self.force])
        figures = overview.forces[0]
        paired_shift = _jsonable(survey_selectors.paired_shift_benchmark(force=self.force))
        self.log_access(row_count=2 + len(paired_shift))
        return Response(
            {
                "force": ForceSerializer(self.force).data,
                "day": day.isoformat(),
                "critical_mass": _figure(figures.critical_mass, overview.critical_mass),
                "champions": _figure(figures.champions, overview.champions),
                "paired_shift": paired_shift,
            }
        )

    def day(self) -> datetime.date:
        """`?day=` as an ISO date (YYYY-MM-DD), today (UK) without it; 400 otherwise."""
        value = self.request.query_params.get("day")
        return timezone.localdate() if value is None else parse_date(value, field="day")
