"""OpenAPI documentation of the Champions endpoint (courses.api.champion_views)."""

from drf_spectacular.utils import OpenApiExample

from courses.api.champion_serializers import ChampionsSerializer
from courses.api.manager_schema import CODE_PARAMETER, COMMON_ERRORS, FORCE_NOT_FOUND

CHAMPIONS = {
    "tags": ["Training managers"],
    "summary": "A force's Champions against its target and the national benchmark",
    "description": (
        "Counts only, never names: the force's DA Matters Champions among its trained learners "
        "(those who completed every module of their role's pathway; active accounts only), the "
        "share in per cent, the force's target share (default 10%) as a number of Champions "
        "(rounded up) and how many more would meet it. `benchmark` is the median and "
        "interquartile range of the Champions share across forces with at least 10 trained "
        "learners; its figures are null when fewer than 5 forces qualify. Each read is "
        "recorded in the access log."
    ),
    "parameters": [CODE_PARAMETER],
    "responses": {200: ChampionsSerializer, **COMMON_ERRORS, **FORCE_NOT_FOUND},
    "examples": [
        OpenApiExample(
            "Champions",
            value={
                "force": {
                    "code": "met",
                    "name": "Metropolitan Police Service",
                    "country": "england",
                },
                "as_of": "2026-11-30",
                "champions": 14,
                "trained": 180,
                "share": 7.8,
                "target_percent": 10,
                "target": 18,
                "still_needed": 4,
                "benchmark": {
                    "forces": 12,
                    "median": 6.5,
                    "lower_quartile": 4.2,
                    "upper_quartile": 9.1,
                },
            },
            response_only=True,
        )
    ],
}
