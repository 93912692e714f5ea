"""Training managers' read-only API. Every view derives from ManagerAPIView: Bearer-key
authentication only, per-key throttling, no caching of responses; views that read learner data
derive from ForceScopedAPIView, which resolves the force from the key's scope before any handler
runs (404 outside it) and builds every queryset from that force."""

from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    inline_serializer,
)
from rest_framework import serializers
from rest_framework.exceptions import ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from courses import selectors, services
from courses.api.authentication import ApiKeyAuthentication
from courses.api.csv import CSVRenderer, csv_streaming_response
from courses.api.filters import STATUS_BY_NAME, CompletionFilter
from courses.api.manager_serializers import (
    CompletionSerializer,
    ForceSerializer,
    ForceSummarySerializer,
    ModuleSerializer,
)
from courses.api.permissions import ApiKeyRateThrottle, HasApiKey
from courses.models import Force, ModuleProgress

# --- Documentation shared by every endpoint -----------------------------------------------------

ErrorSerializer = inline_serializer(
    "Error", fields={"detail": serializers.CharField(help_text="What went wrong, for a person.")}
)
FieldErrorsSerializer = inline_serializer(
    "FieldErrors",
    fields={
        "status": serializers.ListField(child=serializers.CharField(), required=False),
        "completed_before": serializers.ListField(child=serializers.CharField(), required=False),
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
        description="The force does not exist or the key may not read it (the two are not told "
        "apart, so a key cannot discover other forces' data).",
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


# --- Base classes -------------------------------------------------------------------------------


class ManagerAPIView(GenericAPIView):
    """Base of every manager endpoint: the only place their access rules are set."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    filter_backends: list = []
    pagination_class = None
    allowed_query_parameters: frozenset[str] = frozenset({"format"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticate, permit, throttle
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters)
        if unknown:
            allowed = ", ".join(sorted(self.allowed_query_parameters)) or "none"
            raise ValidationError(
                {"detail": f"Unknown query parameter(s): {', '.join(unknown)}. Allowed: {allowed}."}
            )

    def finalize_response(self, request, response, *args, **kwargs):
        # Errors are JSON even when CSV was asked for: an HR system must be able to read them.
        if response.status_code >= 400 and isinstance(
            getattr(request, "accepted_renderer", None), CSVRenderer
        ):
            request.accepted_renderer, request.accepted_media_type = (
                JSONRenderer(),
                JSONRenderer.media_type,
            )
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal data (and keys' scope) must not be kept by browsers or shared caches.
        response["Cache-Control"] = "private, no-store"
        return response

    @property
    def api_key(self):
        return self.request.auth


class ForceScopedAPIView(ManagerAPIView):
    """Base of every endpoint under /forces/<code>/. Before the handler runs, `self.force` is
    the force named in the URL *among the key's forces*, or the request ends in 404. Querysets
    come from force_queryset(force=self.force); subclasses must not override get_queryset()."""

    force: Force

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        self.force = get_object_or_404(
            selectors.api_key_forces(api_key=self.api_key), code=kwargs["code"]
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            # Schema generation has no request and no force; it only needs the model.
            return self.queryset.none()
        return self.force_queryset(force=self.force)

    def force_queryset(self, *, force: Force):
        raise NotImplementedError("Build the queryset from `force`, and only from it.")

    def log_access(self, *, row_count: int):
        return services.api_access_log_record(
            api_key=self.api_key,
            force=self.force,
            endpoint=self.request.path,
            filters=dict(self.request.query_params.items()),
            row_count=row_count,
        )


# --- Endpoints ----------------------------------------------------------------------------------


@extend_schema(
    tags=["Training managers"],
    summary="Forces this key may read",
    responses={200: ForceSerializer(many=True), **COMMON_ERRORS},
    examples=[
        OpenApiExample(
            "Two forces",
            value=[
                {"code": "gmp", "name": "Greater Manchester Police", "country": "england"},
                {"code": "met", "name": "Metropolitan Police Service", "country": "england"},
            ],
            response_only=True,
        )
    ],
)
class ForceListView(ManagerAPIView):
    serializer_class = ForceSerializer

    def get_queryset(self):
        return selectors.api_key_forces(api_key=self.api_key)

    def get(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


@extend_schema(
    tags=["Training managers"],
    summary="Published modules",
    description="The modules that summaries and completions report on. Not learner data.",
    responses={200: ModuleSerializer(many=True), **COMMON_ERRORS},
    examples=[
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
)
class ModuleListView(ManagerAPIView):
    serializer_class = ModuleSerializer

    def get_queryset(self):
        return selectors.published_modules()

    def get(self, request):
        modules = list(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "lesson_counts": selectors.module_lesson_counts(modules=modules),
        }
        return Response(ModuleSerializer(modules, many=True, context=context).data)


@extend_schema(
    tags=["Training managers"],
    summary="A force's completion per module",
    description=(
        "For each published module: the force's learners, how many have not started (including "
        "learners with no progress at all), are in progress or have completed, the completion "
        "rate and the average knowledge-check score; then the force's totals. Each read is "
        "recorded in the access log."
    ),
    parameters=[CODE_PARAMETER],
    responses={200: ForceSummarySerializer, **COMMON_ERRORS, **FORCE_NOT_FOUND},
    examples=[
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
                    }
                ],
                "totals": {
                    "learners": 120,
                    "not_started": 30,
                    "in_progress": 40,
                    "completed": 50,
                    "completion_rate": 41.7,
                    "average_score": 86.5,
                },
            },
            response_only=True,
        )
    ],
)
class ForceSummaryView(ForceScopedAPIView):
    serializer_class = ForceSummarySerializer
    queryset = ModuleProgress.objects.none()  # for the schema only; see get_queryset()

    def force_queryset(self, *, force: Force):
        return selectors.force_completions(force=force)

    def get(self, request, code):
        summary = selectors.force_summary(force=self.force)
        self.log_access(row_count=len(summary.modules))
        return Response(self.get_serializer(summary).data)


class CompletionCursorPagination(CursorPagination):
    """Ordered by id, so pages stay stable while new progress rows arrive (they sort last)."""

    ordering = "id"
    page_size = 100
    page_size_query_param = "page_size"
    max_page_size = 1000


COMPLETIONS_CSV_HEADER = list(CompletionSerializer.Meta.fields)


@extend_schema(
    tags=["Training managers"],
    summary="A force's learners' progress, one row per learner and module",
    description=(
        "Rows exist once a learner has started a module. Cursor-paginated by row id (follow "
        "`next`; rows added meanwhile appear on later pages, none are repeated or skipped). "
        "`?format=csv` streams every matching row, with the same filters and columns, as "
        "`text/csv` for HR systems (cells that a spreadsheet would run as formulas are "
        "prefixed with `'`). Each read is recorded in the access log."
    ),
    parameters=[
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
            "page_size",
            OpenApiTypes.INT,
            description=f"Rows per page, default {CompletionCursorPagination.page_size}, "
            f"at most {CompletionCursorPagination.max_page_size}. Ignored with `format=csv`.",
        ),
        OpenApiParameter(
            "cursor",
            OpenApiTypes.STR,
            description="Opaque position from a `next` or `previous` link. A tampered cursor "
            'gets 404 `{"detail": "Invalid cursor"}`.',
        ),
    ],
    responses={
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
                        "completed,100,90,2026-02-01T09:00:00Z,2026-02-03T10:30:00Z\r\n"
                    ),
                    media_type="text/csv",
                )
            ],
        ),
        **json_only(COMMON_ERRORS),
        **json_only(FORCE_NOT_FOUND),
        (400, "application/json"): OpenApiResponse(
            FieldErrorsSerializer,
            description="A filter value is not valid, or an unknown query parameter was sent.",
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
    examples=[
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
                    }
                ],
            },
            response_only=True,
            status_codes=["200"],
        )
    ],
)
class ForceCompletionsView(ForceScopedAPIView):
    serializer_class = CompletionSerializer
    queryset = ModuleProgress.objects.none()  # for the schema only; see get_queryset()
    renderer_classes = [JSONRenderer, CSVRenderer]
    filter_backends = [DjangoFilterBackend]
    filterset_class = CompletionFilter
    pagination_class = CompletionCursorPagination
    allowed_query_parameters = frozenset(
        {"format", "cursor", "page_size", *CompletionFilter.base_filters}
    )

    def force_queryset(self, *, force: Force):
        return selectors.force_completions(force=force)

    def get(self, request, code):
        rows = self.filter_queryset(self.get_queryset())
        if request.accepted_renderer.format == "csv":
            return self.csv_response(rows)
        page = self.paginate_queryset(rows)
        data = self.get_serializer(page, many=True).data
        self.log_access(row_count=len(page))
        return self.get_paginated_response(data)

    def csv_response(self, rows):
        entry = self.log_access(row_count=0)
        serializer = self.get_serializer()
        return csv_streaming_response(
            header=COMPLETIONS_CSV_HEADER,
            rows=(serializer.to_representation(row) for row in rows.iterator(chunk_size=2000)),
            filename=f"{self.force.code}-completions.csv",
            on_complete=lambda count: services.api_access_log_set_row_count(
                entry=entry, row_count=count
            ),
        )
