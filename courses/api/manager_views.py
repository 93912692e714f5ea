"""Training managers' read-only API. Every view derives from ManagerAPIView: Bearer-key
authentication only, per-key throttling, no caching of responses; views that read learner data
derive from ForceScopedAPIView, which resolves the force from the key's scope before any handler
runs (404 outside it) and builds every queryset from that force."""

from django.core.validators import slug_re
from django.http import Http404
from django.utils.translation import gettext
from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from courses import audit, selectors, services
from courses.api import manager_schema
from courses.api.authentication import ApiKeyAuthentication
from courses.api.csv import CSVRenderer, csv_streaming_response
from courses.api.filters import CompletionFilter, FilterBackend
from courses.api.manager_serializers import (
    CompletionSerializer,
    ForceSerializer,
    ForceSummarySerializer,
    ModuleSerializer,
)
from courses.api.parsers import StrictJSONParser
from courses.api.permissions import ApiKeyRateThrottle, HasApiKey
from courses.models import AuditAction, Force, ModuleProgress

# --- Base classes -------------------------------------------------------------------------------


class ManagerAPIView(GenericAPIView):
    """Base of every manager endpoint: the only place their access rules are set."""

    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [HasApiKey]
    throttle_classes = [ApiKeyRateThrottle]
    renderer_classes = [JSONRenderer]
    # Bodies are JSON only (courses.api.parsers). Set here, not as DRF's default, which
    # other apps' views keep: wagtail-localize's translation editor posts form data.
    parser_classes = [StrictJSONParser]
    filter_backends: list = []
    pagination_class = None
    allowed_query_parameters: frozenset[str] = frozenset({"format"})

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)  # authenticate, permit, throttle
        unknown = sorted(set(request.query_params) - self.allowed_query_parameters)
        if unknown:
            allowed = ", ".join(sorted(self.allowed_query_parameters)) or gettext("none")
            raise ValidationError(
                {
                    "detail": gettext(
                        "Unknown query parameter(s): %(unknown)s. Allowed: %(allowed)s."
                    )
                    % {"unknown": ", ".join(unknown), "allowed": allowed}
                }
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
        if not slug_re.fullmatch(kwargs["code"]):
            # No force has such a code; nothing to look up or to record.
            raise Http404(gettext("No Force matches the given query."))
        force = selectors.api_key_force(api_key=self.api_key, code=kwargs["code"])
        if force is None:
            # Outside the key's scope looks the same as no such force, but it is recorded.
            audit.audit_record(
                action=AuditAction.ACCESS_DENIED,
                api_key_prefix=self.api_key.prefix,
                force_code=kwargs["code"],
                path=request.path,
                status_code=404,
            )
            raise Http404(gettext("No Force matches the given query."))
        self.force = force

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


@extend_schema(**manager_schema.FORCES)
class ForceListView(ManagerAPIView):
    serializer_class = ForceSerializer

    def get_queryset(self):
        return selectors.api_key_forces(api_key=self.api_key)

    def get(self, request):
        return Response(self.get_serializer(self.get_queryset(), many=True).data)


@extend_schema(**manager_schema.MODULES)
class ModuleListView(ManagerAPIView):
    serializer_class = ModuleSerializer

    def get_queryset(self):
        return selectors.published_modules()

    def get(self, request):
        modules = list(self.get_queryset())
        context = {
            **self.get_serializer_context(),
            "module_lessons": selectors.module_lessons(modules=modules),
        }
        return Response(ModuleSerializer(modules, many=True, context=context).data)


@extend_schema(**manager_schema.SUMMARY)
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
    """Ordered by id, so pages stay stable while new progress rows arrive (they sort last).
    A page size that is not a whole number from 1 to the maximum is a 400 naming `page_size`;
    a cursor whose position is not a row id is DRF's 404 "Invalid cursor"."""

    ordering = "id"
    page_size = manager_schema.COMPLETIONS_PAGE_SIZE
    page_size_query_param = "page_size"
    max_page_size = manager_schema.COMPLETIONS_MAX_PAGE_SIZE

    def get_page_size(self, request):
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        size = int(value) if value.isascii() and value.isdigit() and len(value) < 10 else 0
        if not 1 <= size <= self.max_page_size:
            raise ValidationError(
                {
                    self.page_size_query_param: [
                        gettext(
                            "Use a whole number from 1 to %(max)d, or leave it out for %(default)d "
                            "rows a page."
                        )
                        % {"max": self.max_page_size, "default": self.page_size}
                    ]
                }
            )
        return size

    def decode_cursor(self, request):
        cursor = super().decode_cursor(request)
        position = cursor.position if cursor else None
        if position is not None and not (
            position.isascii() and position.isdigit() and len(position) < 19
        ):
            raise NotFound(self.invalid_cursor_message)
        return cursor


@extend_schema(**manager_schema.COMPLETIONS)
class ForceCompletionsView(ForceScopedAPIView):
    serializer_class = CompletionSerializer
    queryset = ModuleProgress.objects.none()  # for the schema only; see get_queryset()
    renderer_classes = [JSONRenderer, CSVRenderer]
    filter_backends = [FilterBackend]
    filterset_class = CompletionFilter
    pagination_class = CompletionCursorPagination
    allowed_query_parameters = frozenset(
        {"format", "cursor", "page_size", *CompletionFilter.base_filters}
    )

    def force_queryset(self, *, force: Force):
        return selectors.force_completions(force=force)

    def get(self, request, code):
        self.paginator.get_page_size(request)  # a bad page size is a 400 for CSV too
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
            header=manager_schema.COMPLETIONS_CSV_HEADER,
            rows=(serializer.to_representation(row) for row in rows.iterator(chunk_size=2000)),
            filename=f"{self.force.code}-completions.csv",
            on_complete=lambda count: services.api_access_log_set_row_count(
                entry=entry, row_count=count
            ),
        )
