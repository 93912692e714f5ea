"""OpenAPI documentation of the training managers' API: shared error responses and the
schema of each endpoint (used by manager_views through extend_schema)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from courses.api.exceptions import ErrorSerializer
from courses.api.filters import STATUS_BY_NAME
from courses.api.manager_serializers import (
    CompletionSerializer,
    ForceSerializer,
    ForceSummarySerializer,
    ModuleSerializer,
)

# --- Shared by every endpoint ------------------------------------------------------------------

FieldErrorsSerializer = inline_serializer(
    "FieldErrors",
    fields={
        name: serializers.ListField(child=serializers.CharField(), required=False)
        for name in (
            "module",
            "status",
            "role",
            "required",
            "overdue",
            "completed_after",
            "completed_before",
            "page_size",
        )
    },
)
COMMON_ERRORS = {
    400: OpenApiResponse(
        ErrorSerializer,
        description="An unknown query parameter was sent.",
        examples=[
            OpenApiExample(
                "Unknown parameter",
                value={"detail": "Unknown query parameter(s): sort. Allowed: format."},
                status_codes=["400"],
            )
        ],
    ),
    401: OpenApiResponse(
        ErrorSerializer,
        description="No key, or a malformed, unknown, revoked or expired key. "
        "The response carries `WWW-Authenticate: Bearer`.",
        examples=[
            OpenApiExample(
                "Missing key",
                value={"detail": "Authentication credentials were not provided."},
                status_codes=["401"],
            ),
            OpenApiExample(
                "Revoked key",
                value={"detail": "This API key has been revoked."},
                status_codes=["401"],
            ),
        ],
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests for this key; retry after `Retry-After` seconds.",
        examples=[
            OpenApiExample(
                "Throttled",
                value={"detail": "Request was throttled. Expected available in 12 seconds."},
                status_codes=["429"],
            )
        ],
    ),
}
FORCE_NOT_FOUND = {
    404: OpenApiResponse(
        ErrorSerializer,
        description="The force does not exist, the key may not read it, or the code is not a "
        "slug (these are not told apart, so a key cannot discover other forces' data).",
        examples=[
            OpenApiExample(
                "Out of scope",
                value={"detail": "No Force matches the given query."},
                status_codes=["404"],
            )
        ],
    )
}


def json_only(responses: dict) -> dict:
    """Errors are always JSON, even when CSV was asked for."""
    return {(status, "application/json"): response for status, response in responses.items()}


CODE_PARAMETER = OpenApiParameter(
    "code",
    OpenApiTypes.STR,
    OpenApiParameter.PATH,
    description="A force code the key may read, as listed by /api/v1/forces/, e.g. `met`.",
)


# --- Endpoints ----------------------------------------------------------------------------------

# Page size limits, here so that the documentation and CompletionCursorPagination agree.
COMPLETIONS_PAGE_SIZE = 100
COMPLETIONS_MAX_PAGE_SIZE = 1000
COMPLETIONS_CSV_HEADER = list(CompletionSerializer.Meta.fields)

FORCES = {
    "tags": ["Training managers"],
    "summary": "Forces this key may read",
    "responses": {200: ForceSerializer(many=True), **COMMON_ERRORS},
    "examples": [
        OpenApiExample(
            "Two forces",
            value=[
                {"code": "gmp", "name": "Greater Manchester Police", "country": "england"},
                {"code": "met", "name": "Metropolitan Police Service", "country": "england"},
            ],
            response_only=True,
        )
    ],
}

MODULES = {
    "tags": ["Training managers"],
    "summary": "Published modules",
    "description": "The modules that summaries and completions report on. Not learner data.",
    "responses": {200: ModuleSerializer(many=True), **COMMON_ERRORS},
    "examples": [
        OpenApiExample(
            "One module",
            value=[
                {
                    "id": 12,
                    "slug": "leadership",
                    "title": "Leadership",
                    "theme": "leadership",
                    "lessons": 4,
                    "pass_mark": 80,
                    "estimated_minutes": 45,
                }
            ],
            response_only=True,
        )
    ],
}

SUMMARY = {
    "tags": ["Training managers"],
    "summary": "A force's completion per module",
    "description": (
        "For each published module: the force's learners, how many have not started (including "
        "learners with no progress at all), are in progress or have completed, the completion "
        "rate and the average knowledge-check score; how many learners their role's pathway "
        "requires to take it (`required`) and how many of those are past its due date without "
        "completing it (`overdue`); then the force's totals. Each read is recorded in the "
        "access log."
    ),
    "parameters": [CODE_PARAMETER],
    "responses": {200: ForceSummarySerializer, **COMMON_ERRORS, **FORCE_NOT_FOUND},
    "examples": [
        OpenApiExample(
            "Summary",
            value={
                "force": {
                    "code": "met",
                    "name": "Metropolitan Police Service",
                    "country": "england",
                },
                "modules": [
                    {
                        "module": "leadership",
                        "title": "Leadership",
                        "learners": 120,
                        "not_started": 30,
                        "in_progress": 40,
                        "completed": 50,
                        "completion_rate": 41.7,
                        "average_score": 86.5,
                        "required": 100,
                        "overdue": 12,
                    }
                ],
                "totals": {
                    "learners": 120,
                    "not_started": 30,
                    "in_progress": 40,
                    "completed": 50,
                    "completion_rate": 41.7,
                    "average_score": 86.5,
                    "required": 100,
                    "overdue": 12,
                },
            },
            response_only=True,
        )
    ],
}

COMPLETIONS = {
    "tags": ["Training managers"],
    "summary": "A force's learners' progress, one row per learner and module",
    "description": (
        "Rows exist once a learner has started a module, or has been enrolled on it because "
        "their role's pathway requires it (`required`, with `due_at`; `overdue` once that has "
        "passed without completion; the row is `not_started` until they open it). "
        "Cursor-paginated by row id (follow "
        "`next`; rows added meanwhile appear on later pages, none are repeated or skipped). "
        "`?format=csv` streams every matching row, with the same filters and columns, as "
        "`text/csv` for HR systems (cells that a spreadsheet would run as formulas are "
        "prefixed with `'`). Each read is recorded in the access log."
    ),
    "parameters": [
        CODE_PARAMETER,
        OpenApiParameter(
            "format",
            OpenApiTypes.STR,
            enum=["json", "csv"],
            description="`csv` streams all matching rows as CSV instead of a JSON page.",
        ),
        OpenApiParameter(
            "status",
            OpenApiTypes.STR,
            enum=list(STATUS_BY_NAME),
            description="Only rows with this status.",
        ),
        OpenApiParameter(
            "required",
            OpenApiTypes.STR,
            enum=["true", "false"],
            description="`true`: only modules the learner's role's pathway requires; "
            "`false`: only the others. Anything else is a 400.",
        ),
        OpenApiParameter(
            "overdue",
            OpenApiTypes.STR,
            enum=["true", "false"],
            description="`true`: only required modules not completed and past their due "
            "date; `false`: every other row. Anything else is a 400.",
        ),
        OpenApiParameter(
            "page_size",
            OpenApiTypes.INT,
            description=f"Rows per page, a whole number from 1 to {COMPLETIONS_MAX_PAGE_SIZE} "
            f"(default {COMPLETIONS_PAGE_SIZE}); anything else is a 400. With `format=csv` "
            "it is checked, then ignored.",
        ),
        OpenApiParameter(
            "cursor",
            OpenApiTypes.STR,
            description="Opaque position from a `next` or `previous` link. A tampered cursor "
            'gets 404 `{"detail": "Invalid cursor"}`.',
        ),
    ],
    "responses": {
        (200, "application/json"): CompletionSerializer(many=True),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="Header line, then one line per row; columns as in the JSON rows.",
            examples=[
                OpenApiExample(
                    "CSV",
                    value=(
                        ",".join(COMPLETIONS_CSV_HEADER)
                        + "\r\n41,7,Sam Taylor,sam.taylor@met.example,MP01234,pcso,leadership,"
                        "completed,100,90,2026-02-01T09:00:00Z,2026-02-03T10:30:00Z,"
                        "True,2026-02-28T09:00:00Z,False\r\n"
                    ),
                    media_type="text/csv",
                )
            ],
        ),
        **json_only(COMMON_ERRORS),
        **json_only(FORCE_NOT_FOUND),
        (400, "application/json"): OpenApiResponse(
            FieldErrorsSerializer,
            description="A filter value or the page size is not valid (an empty value "
            "included; times need a UTC offset within ±14:00), or an unknown query parameter "
            "was sent. Each field error is under the parameter's name.",
            examples=[
                OpenApiExample(
                    "Bad status",
                    value={
                        "status": [
                            "Unknown status done; use not_started, in_progress or completed."
                        ]
                    },
                    status_codes=["400"],
                )
            ],
        ),
    },
    "examples": [
        OpenApiExample(
            "A completed module",
            value={
                "next": "https://example.org/api/v1/forces/met/completions/?cursor=cD0xMDA%3D",
                "previous": None,
                "results": [
                    {
                        "id": 41,
                        "learner_id": 7,
                        "name": "Sam Taylor",
                        "email": "sam.taylor@met.example",
                        "staff_number": "MP01234",
                        "role": "pcso",
                        "module": "leadership",
                        "status": "completed",
                        "progress_percent": 100,
                        "score": 90,
                        "started_at": "2026-02-01T09:00:00Z",
                        "completed_at": "2026-02-03T10:30:00Z",
                        "required": True,
                        "due_at": "2026-02-28T09:00:00Z",
                        "overdue": False,
                    }
                ],
            },
            response_only=True,
            status_codes=["200"],
        )
    ],
}


# --- Task E: a force against the national benchmark ---------------------------------------------

_NATIONAL = inline_serializer(
    "NationalBenchmark",
    fields={
        "forces": serializers.IntegerField(
            help_text="Forces whose figure meets k (counted whether or not a median is given)."
        ),
        "median": serializers.FloatField(allow_null=True),
        "lower_quartile": serializers.FloatField(allow_null=True),
        "upper_quartile": serializers.FloatField(allow_null=True),
    },
)


def _benchmark_figure(name: str, share_help: str):
    return inline_serializer(
        name,
        fields={
            "share": serializers.FloatField(allow_null=True, help_text=share_help),
            "meets_k": serializers.BooleanField(
                help_text="Whether the share rests on at least 10 people, so that it counts "
                "towards the national figures."
            ),
            "national": _NATIONAL,
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
                "paired_shift": serializers.ListField(child=serializers.DictField()),
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
