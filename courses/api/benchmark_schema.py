"""OpenAPI documentation of the benchmark endpoint (courses.api.benchmark_views)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from courses.api.manager_schema import CODE_PARAMETER, COMMON_ERRORS, FORCE_NOT_FOUND
from courses.api.manager_serializers import ForceSerializer, NationalBenchmarkSerializer


class _ForceShiftSerializer(serializers.Serializer):
    value = serializers.FloatField(
        allow_null=True, help_text="Mean of post minus pre; null when withheld."
    )
    learners = serializers.IntegerField(allow_null=True, help_text="Paired learners behind it.")
    suppressed = serializers.CharField(allow_null=True, help_text="Why it is withheld.")
    as_of = serializers.DateField(allow_null=True, help_text="Last day the figure includes.")


class _ShiftBenchmarkSerializer(serializers.Serializer):
    statement_id = serializers.IntegerField()
    text = serializers.CharField()
    force_shift = _ForceShiftSerializer()
    national = NationalBenchmarkSerializer()


def _benchmark_figure(name: str, share_help: str):
    return inline_serializer(
        name,
        fields={
            "share": serializers.FloatField(allow_null=True, help_text=share_help),
            "meets_k": serializers.BooleanField(
                help_text="Whether the share rests on at least 10 people, so that it counts "
                "towards the national figures."
            ),
            "national": NationalBenchmarkSerializer(),
        },
    )


BENCHMARK = {
    "tags": ["Training managers"],
    "summary": "A force against the national benchmark",
    "description": (
        "The force's own critical-mass share (first responders trained by the end of `day`, "
        "in per cent of their latest headcount on or before it) and Champions share (Champions "
        "in per cent of the learners trained), each beside the national median and "
        "interquartile range across forces whose figure rests on at least 10 people. The "
        "national figures are null when fewer than 5 forces have one, so that no force can "
        "work out another's; no other force is ever named. `paired_shift` lists, per statement "
        "of the force's attitude survey, the force's paired shift (post minus pre, null when "
        "suppressed) and the national benchmark of it (empty until a survey has results). "
        "Each read is recorded in the access log."
    ),
    "parameters": [
        CODE_PARAMETER,
        OpenApiParameter(
            "day",
            OpenApiTypes.DATE,
            description="The day the figures describe (YYYY-MM-DD, UK time); default today. "
            "Anything else is a 400 naming `day`.",
        ),
    ],
    "responses": {
        200: inline_serializer(
            "ForceBenchmark",
            fields={
                "force": ForceSerializer(),
                "day": serializers.DateField(),
                "critical_mass": _benchmark_figure(
                    "CriticalMassBenchmark",
                    "Trained first responders in per cent of their headcount; null without "
                    "a first-responder headcount.",
                ),
                "champions": _benchmark_figure(
                    "ChampionsBenchmark",
                    "Champions in per cent of the learners trained; null when nobody is "
                    "trained yet.",
                ),
                "paired_shift": _ShiftBenchmarkSerializer(many=True),
            },
        ),
        **COMMON_ERRORS,
        **FORCE_NOT_FOUND,
        400: OpenApiResponse(
            inline_serializer(
                "BenchmarkErrors",
                fields={
                    "day": serializers.ListField(child=serializers.CharField(), required=False),
                    "detail": serializers.CharField(required=False),
                },
            ),
            description="`day` is not a date (YYYY-MM-DD), or an unknown query parameter was "
            "sent (`detail`).",
            examples=[
                OpenApiExample(
                    "Bad day",
                    value={
                        "day": [
                            "'31/03/2026' is not a date: use YYYY-MM-DD, for example 2026-03-31."
                        ]
                    },
                    status_codes=["400"],
                )
            ],
        ),
    },
    "examples": [
        OpenApiExample(
            "Benchmark",
            value={
                "force": {
                    "code": "met",
                    "name": "Metropolitan Police Service",
                    "country": "england",
                },
                "day": "2026-03-31",
                "critical_mass": {
                    "share": 62.5,
                    "meets_k": True,
                    "national": {
                        "forces": 12,
                        "median": 48.0,
                        "lower_quartile": 31.2,
                        "upper_quartile": 66.4,
                    },
                },
                "champions": {
                    "share": 8.1,
                    "meets_k": True,
                    "national": {
                        "forces": 4,
                        "median": None,
                        "lower_quartile": None,
                        "upper_quartile": None,
                    },
                },
                "paired_shift": [],
            },
            response_only=True,
            status_codes=["200"],
        )
    ],
}
