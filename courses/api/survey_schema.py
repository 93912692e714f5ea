"""OpenAPI documentation of the survey results endpoint (courses.api.survey_views)."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    inline_serializer,
)
from rest_framework import serializers

from courses.api.manager_schema import (
    CODE_PARAMETER,
    COMMON_ERRORS,
    FORCE_NOT_FOUND,
    json_only,
)

SURVEY_RESULTS_CSV_HEADER = [
    "statement_id",
    "statement",
    "stage",
    "respondents",
    "strongly_disagree",
    "disagree",
    "neither",
    "agree",
    "strongly_agree",
    "prefer_not_to_say",
    "mean",
    "mean_learners",
    "paired_shift",
    "paired_learners",
    "as_of",
]
_SURVEY_FIGURE = {"value": 3.42, "learners": 57, "suppressed": None, "as_of": None}
_SURVEY_WITHHELD = {"value": None, "learners": None, "suppressed": "fewer-than-k", "as_of": None}
SURVEY_RESULTS = {
    "tags": ["Training managers"],
    "summary": "A force's attitude survey results, k-anonymous",
    "description": (
        "Per statement of the live attitude survey: counts per answer and the mean at each "
        "stage (`pre`, `post`, `follow-up`), and the paired shift (mean of post minus pre over "
        "learners who gave a 1-5 answer at both), each with the number of `learners` it is "
        "computed from. Only complete UK months are reported. A figure that would describe "
        "fewer than 10 learners, alone or with another figure this force can request, is "
        "withheld: `value` and `learners` are null and `suppressed` gives the reason "
        "(`suppression_reasons` explains each). Without `month` the figures are cumulative, "
        "as last released (`as_of`: they move in steps of at least 10 learners). Free text "
        "is never included. `?format=csv`: one row per statement and stage (empty cells where "
        "withheld). Each read is recorded in the access log."
    ),
    "parameters": [
        CODE_PARAMETER,
        OpenApiParameter(
            "format", OpenApiTypes.STR, enum=["json", "csv"], description="`csv` for a table."
        ),
        OpenApiParameter(
            "role_group",
            OpenApiTypes.STR,
            enum=["frontline", "supervisors-leaders", "staff-other"],
            description="Only learners of this role group (the role they had when answering; "
            "for the paired shift, when answering the post survey). Anything else is a 400.",
        ),
        OpenApiParameter(
            "month",
            OpenApiTypes.STR,
            description="A complete UK month, `YYYY-MM`, among `months` of an unfiltered "
            "response (for the paired shift: the month of the post answer). Anything else is a "
            "400 listing the months allowed.",
        ),
    ],
    "responses": {
        (200, "application/json"): OpenApiResponse(
            OpenApiTypes.OBJECT, description="The results, per statement."
        ),
        (200, "text/csv"): OpenApiResponse(
            OpenApiTypes.STR,
            description="Header line, then one line per statement and stage.",
            examples=[
                OpenApiExample(
                    "CSV",
                    value=",".join(SURVEY_RESULTS_CSV_HEADER)
                    + "\r\n12,I know how to ask about coercive control,post,57,1,2,6,28,18,2,"
                    "4.09,55,0.84,41,2026-03-31\r\n",
                    media_type="text/csv",
                )
            ],
        ),
        **json_only(COMMON_ERRORS),
        **json_only(FORCE_NOT_FOUND),
        (400, "application/json"): OpenApiResponse(
            inline_serializer(
                "SurveyFilterErrors",
                fields={
                    name: serializers.ListField(child=serializers.CharField(), required=False)
                    for name in ("role_group", "month")
                },
            ),
            description="An unknown role group or a month that is not a complete month with "
            "results, with the values allowed; or an unknown query parameter.",
            examples=[
                OpenApiExample(
                    "Bad month",
                    value={
                        "month": [
                            "Choose a complete month with survey results. Allowed: "
                            "2026-01, 2026-02."
                        ]
                    },
                    status_codes=["400"],
                )
            ],
        ),
    },
    "examples": [
        OpenApiExample(
            "Results",
            value={
                "force": "met",
                "survey": {"id": 1, "title": "Attitudes to domestic abuse"},
                "role_group": None,
                "month": None,
                "released_until": "2026-03-31",
                "months": ["2026-01", "2026-02", "2026-03"],
                "suppression_reasons": {"fewer-than-k": "Fewer than 10 learners."},
                "respondents": {"pre": {**_SURVEY_FIGURE, "value": 60, "learners": 60}},
                "paired_learners": {**_SURVEY_FIGURE, "value": 52, "learners": 52},
                "statements": [
                    {
                        "id": 12,
                        "text": "I know how to ask about coercive control",
                        "stages": {
                            "pre": {"counts": _SURVEY_WITHHELD, "mean": _SURVEY_FIGURE},
                        },
                        "paired_shift": {**_SURVEY_FIGURE, "value": 0.84, "as_of": "2026-03-31"},
                    }
                ],
            },
            response_only=True,
            status_codes=["200"],
        )
    ],
}
