"""The critical-mass endpoints' response shapes and OpenAPI documentation (used by
critical_mass_views through extend_schema). Kept beside manager_schema, whose shared error
responses they reuse, so that neither file grows past a screenful of endpoints."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from courses.api.exceptions import ErrorSerializer
from courses.api.manager_schema import CODE_PARAMETER, COMMON_ERRORS, FORCE_NOT_FOUND, json_only
from courses.api.manager_serializers import NationalBenchmarkSerializer
from courses.models import JOB_ROLES, HeadcountSource
from courses.selectors import CriticalMassState

# --- Shapes -------------------------------------------------------------------------------------


class RoleFiguresSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=JOB_ROLES)
    label = serializers.CharField()
    trained = serializers.IntegerField(help_text="Trained by the end of the day.")
    headcount = serializers.IntegerField(
        allow_null=True, help_text="Latest headcount on or before the day; null if none."
    )
    share = serializers.FloatField(allow_null=True, help_text="trained / headcount, per cent.")


class CriticalMassSerializer(serializers.Serializer):
    force = serializers.CharField(help_text="The force's code.")
    day = serializers.DateField(help_text="The figures describe the end of this day.")
    state = serializers.ChoiceField(choices=list(CriticalMassState.LABELS.items()))
    launch_date = serializers.DateField(allow_null=True)
    deadline = serializers.DateField(allow_null=True, help_text="launch_date + window_days.")
    window_days = serializers.IntegerField()
    target_percent = serializers.IntegerField()
    first_responder_roles = serializers.ListField(child=serializers.ChoiceField(JOB_ROLES))
    trained = serializers.IntegerField(help_text="First responders trained by the day.")
    headcount = serializers.IntegerField(
        allow_null=True, help_text="First-responder headcount on the day; null if none."
    )
    share = serializers.FloatField(allow_null=True, help_text="Per cent, one decimal place.")
    target_count = serializers.IntegerField(
        allow_null=True, help_text="ceil(target_percent x headcount / 100)."
    )
    still_needed = serializers.IntegerField(allow_null=True)
    target_reached = serializers.BooleanField()
    days_left = serializers.IntegerField(allow_null=True)
    pace_needed_per_week = serializers.FloatField(allow_null=True)
    trained_since_launch = serializers.IntegerField()
    current_pace_per_week = serializers.FloatField(allow_null=True)
    projected_date = serializers.DateField(allow_null=True)
    roles = RoleFiguresSerializer(many=True)
    benchmark = NationalBenchmarkSerializer(
        help_text="National median and interquartile range of the share, across forces whose "
        "first-responder headcount is at least 10 (all null below 5 such forces)."
    )


class HeadcountRowSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=JOB_ROLES)
    count = serializers.IntegerField()
    as_of = serializers.DateField()
    source = serializers.ChoiceField(choices=HeadcountSource.choices)
    recorded_at = serializers.DateTimeField()


class HeadcountHistorySerializer(serializers.Serializer):
    force = serializers.CharField()
    headcounts = HeadcountRowSerializer(many=True)


class HeadcountPutSerializer(serializers.Serializer):
    as_of = serializers.DateField(help_text="The date the figures were true (YYYY-MM-DD).")
    headcounts = serializers.DictField(
        child=serializers.IntegerField(min_value=0),
        help_text="Role: count, for one or more job roles.",
    )


class HeadcountStoredSerializer(serializers.Serializer):
    force = serializers.CharField()
    as_of = serializers.DateField()
    headcounts = serializers.DictField(child=serializers.IntegerField())


CriticalMassErrorsSerializer = inline_serializer(
    "CriticalMassErrors",
    fields={
        "detail": serializers.CharField(required=False),
        "day": serializers.ListField(child=serializers.CharField(), required=False),
    },
)
HeadcountErrorsSerializer = inline_serializer(
    "HeadcountErrors",
    fields={
        "detail": serializers.CharField(required=False),
        "as_of": serializers.ListField(child=serializers.CharField(), required=False),
        "headcounts": serializers.JSONField(
            required=False,
            help_text="A list of messages about the object as a whole, or an object of the "
            "bad roles, each with its list of messages.",
        ),
    },
)

ROLE_CSV_HEADER = ["role", "label", "trained", "headcount", "share"]
HEADCOUNT_CSV_HEADER = ["role", "count", "as_of", "source", "recorded_at"]
ROLE_VALUES = ", ".join(value for value, _ in JOB_ROLES)

FORMAT_PARAMETER = OpenApiParameter(
    "format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` for the table as CSV."
)
CSV_ERRORS = {**json_only(COMMON_ERRORS), **json_only(FORCE_NOT_FOUND)}

# --- Endpoints ----------------------------------------------------------------------------------

CRITICAL_MASS = {
    "tags": ["Evidence"],
    "summary": "A force's progress to critical mass, with the national benchmark",
    "description": (
        "Trained first responders against the first-responder headcount on a day, the target "
        "and deadline from the force's plan, the pace needed and the current pace, and the "
        "date the current pace reaches the target. Definitions: README, “Critical mass”. "
        "`?format=csv` gives the per-role table. Counts only: no learner is named. Each read "
        "is recorded in the access log."
    ),
    "parameters": [
        CODE_PARAMETER,
        FORMAT_PARAMETER,
        OpenApiParameter(
            "day",
            OpenApiTypes.DATE,
            description="Describe the end of this day (YYYY-MM-DD; default today). "
            "Anything else is a 400.",
        ),
    ],
    "responses": {
        (200, "application/json"): CriticalMassSerializer,
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="One line per first-responder role.",
            examples=[
                OpenApiExample(
                    "CSV",
                    value=",".join(ROLE_CSV_HEADER)
                    + "\r\nresponse-officer,Response officer,640,1200,53.3\r\n",
                    media_type="text/csv",
                )
            ],
        ),
        **CSV_ERRORS,
        (400, "application/json"): OpenApiResponse(
            CriticalMassErrorsSerializer,
            description="`day` is not a date, or an unknown query parameter was sent.",
            examples=[
                OpenApiExample(
                    "Bad day",
                    value={"day": ["Give the day as YYYY-MM-DD, e.g. 2026-11-30."]},
                    status_codes=["400"],
                )
            ],
        ),
    },
}

HEADCOUNT_GET = {
    "tags": ["Evidence"],
    "summary": "A force's headcount history",
    "description": (
        "Every headcount recorded for the force, newest date first. Reports use each role's "
        "latest figure on or before the day they describe. `?format=csv` for CSV."
    ),
    "parameters": [CODE_PARAMETER, FORMAT_PARAMETER],
    "responses": {
        (200, "application/json"): HeadcountHistorySerializer,
        (200, "text/csv"): OpenApiResponse(OpenApiTypes.STR, description="One line a figure."),
        **CSV_ERRORS,
    },
}

HEADCOUNT_PUT = {
    "tags": ["Evidence"],
    "summary": "Set a force's headcounts for a date (needs the write scope)",
    "description": (
        "Records how many people the force had in each given role on `as_of`, replacing "
        "figures already recorded for that date (other dates are kept). All or nothing: one "
        "bad figure and nothing is stored. Only keys with the write scope (shown as “Read and "
        f"set headcounts” in the admin) may do this. Roles: {ROLE_VALUES}."
    ),
    "parameters": [CODE_PARAMETER],
    "request": HeadcountPutSerializer,
    "responses": {
        200: HeadcountStoredSerializer,
        **COMMON_ERRORS,
        **FORCE_NOT_FOUND,
        400: OpenApiResponse(
            HeadcountErrorsSerializer,
            description="A body that is not a JSON object, or has fields other than these "
            "(under `detail`), or a bad field, named: `as_of` (not a date, more than a day in the "
            "future), `headcounts` (missing or empty, or under it the role that is unknown, "
            "“not-given”, or whose count is not a whole number from 0 to 100,000).",
            examples=[
                OpenApiExample(
                    "Unknown role",
                    value={"headcounts": {"pcsx": ["Unknown role 'pcsx'; use one of …"]}},
                    status_codes=["400"],
                ),
                OpenApiExample(
                    "Future date",
                    value={"as_of": ["2027-01-30 is in the future; give the date …"]},
                    status_codes=["400"],
                ),
            ],
        ),
        415: OpenApiResponse(
            ErrorSerializer,
            description="The body is not sent as `application/json`.",
            examples=[
                OpenApiExample(
                    "Form data",
                    value={"detail": 'Unsupported media type "text/plain" in request.'},
                    status_codes=["415"],
                )
            ],
        ),
        403: OpenApiResponse(
            ErrorSerializer,
            description="The key is read-only.",
            examples=[
                OpenApiExample(
                    "Read-only key",
                    value={"detail": "This API key is read-only. Ask your administrator …"},
                    status_codes=["403"],
                )
            ],
        ),
    },
    "examples": [
        OpenApiExample(
            "Two roles",
            value={"as_of": "2026-11-30", "headcounts": {"response-officer": 1200, "pcso": 300}},
            request_only=True,
        )
    ],
}
