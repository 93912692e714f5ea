"""Learner API: record progress events and read one's own progress (session + CSRF)."""

import io

from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiExample,
    OpenApiResponse,
    PolymorphicProxySerializer,
    extend_schema,
)
from rest_framework import exceptions, status
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import BasePermission
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from courses import selectors, services
from courses.api.exceptions import (
    Conflict,
    ConflictSerializer,
    ErrorSerializer,
    InvalidRequest,
    PayloadTooLarge,
)
from courses.api.learner_serializers import (
    MyProgressSerializer,
    ProgressEventInputSerializer,
    ProgressResultSerializer,
)
from courses.api.parsers import StrictJSONParser
from courses.models import LearnerProfile

MAX_BODY_BYTES = 64 * 1024


def too_large() -> str:
    return gettext("Send at most %(kb)d KB at a time: split the events into batches.") % {
        "kb": MAX_BODY_BYTES // 1024
    }


class LearnerSessionAuthentication(SessionAuthentication):
    """Django session with CSRF. Naming a scheme makes DRF answer 401 (not 403) to a request
    without a session, so the browser script can tell "sign in again" from "not allowed"."""

    def authenticate_header(self, request):
        return 'Session realm="DA Matters"'


class LearnerSessionScheme(SessionScheme):
    """Documents LearnerSessionAuthentication as cookie (session) auth in the schema."""

    target_class = LearnerSessionAuthentication


class IsLearner(BasePermission):
    message = services.NotALearner.message

    def has_permission(self, request, view):
        user = request.user
        if not user.is_authenticated:
            return False
        try:
            return user.learner_profile is not None
        except LearnerProfile.DoesNotExist:
            return False


class BoundedJSONParser(StrictJSONParser):
    """JSON, refusing bodies over 64 KB whatever Content-Length claimed."""

    def parse(self, stream, media_type=None, parser_context=None):
        body = stream.read(MAX_BODY_BYTES + 1)
        if len(body) > MAX_BODY_BYTES:
            raise PayloadTooLarge(too_large())
        return super().parse(io.BytesIO(body), media_type, parser_context)


class LearnerAPIView(APIView):
    authentication_classes = [LearnerSessionAuthentication]
    permission_classes = [IsLearner]
    parser_classes = [BoundedJSONParser]
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "learner_progress"

    def permission_denied(self, request, message=None, code=None):
        if request.authenticators and not request.successful_authenticator:
            raise exceptions.NotAuthenticated(gettext("Sign in to see and record your progress."))
        super().permission_denied(request, message, code)

    def initial(self, request, *args, **kwargs):
        # Refuse an announced oversized body before authenticating or reading it.
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            raise InvalidRequest(gettext("The Content-Length header is not a number.")) from None
        if length > MAX_BODY_BYTES:
            raise PayloadTooLarge(too_large())
        super().initial(request, *args, **kwargs)

    def finalize_response(self, request, response, *args, **kwargs):
        response = super().finalize_response(request, response, *args, **kwargs)
        # Personal progress: never stored by browsers or shared caches.
        patch_cache_control(response, private=True, no_store=True)
        return response


ERROR_RESPONSES = {
    401: OpenApiResponse(
        ErrorSerializer,
        description="No session: sign in first.",
        examples=[
            OpenApiExample(
                "Signed out", value={"detail": "Sign in to see and record your progress."}
            )
        ],
    ),
    403: OpenApiResponse(
        ErrorSerializer,
        description="Missing CSRF token, or the account is not a learner (no force).",
        examples=[
            OpenApiExample("Not a learner", value={"detail": IsLearner.message}),
            OpenApiExample("No CSRF token", value={"detail": "CSRF Failed: CSRF token missing."}),
        ],
    ),
    429: OpenApiResponse(
        ErrorSerializer,
        description="Too many requests from this learner; retry after Retry-After seconds.",
        examples=[
            OpenApiExample(
                "Throttled",
                value={"detail": "Request was throttled. Expected available in 12 seconds."},
            )
        ],
    ),
}

EVENT_EXAMPLE = {
    "id": "6f1c2d7e-8a4b-4c1e-9d2f-3b5a7c9e1f20",
    "lesson": 42,
    "verb": "answered",
    "result": {"block_id": "0d9f6a1e-2b3c-4d5e-8f70-a1b2c3d4e5f6", "answers": [1]},
    "occurred_at": "2026-03-01T09:30:00Z",
}
RESULT_EXAMPLE = {
    **EVENT_EXAMPLE,
    "module": 41,
    "result": {**EVENT_EXAMPLE["result"], "score": 100},
    "recorded_at": "2026-03-01T09:30:01Z",
    "created": True,
    "module_progress": {
        "module": 41,
        "status": "completed",
        "lessons_completed": 3,
        "lessons_total": 3,
        "score": 100,
        "started_at": "2026-03-01T09:02:10Z",
        "completed_at": "2026-03-01T09:30:00Z",
        "certificate_code": "K7QD-3MXR-9TWA",
    },
    "outcome": {
        "score": 100,
        "correct": True,
        "selected": [1],
        "attempts": 2,
        "reveal_after": 2,
        "answer_revealed": True,
        "feedback": [
            {"option": 0, "selected": False, "correct": False, "feedback": "Not quite."},
            {"option": 1, "selected": True, "correct": True, "feedback": "Yes."},
        ],
    },
}

PROGRESS_REQUEST = PolymorphicProxySerializer(
    component_name="ProgressEventOrBatch",
    serializers=[ProgressEventInputSerializer, ProgressEventInputSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)
PROGRESS_RESPONSE = PolymorphicProxySerializer(
    component_name="ProgressResultOrBatch",
    serializers=[ProgressResultSerializer, ProgressResultSerializer(many=True)],
    resource_type_field_name=None,
    many=False,
)


class ProgressView(LearnerAPIView):
    @extend_schema(
        operation_id="progress_record",
        summary="Record a progress event (or a batch of up to 100)",
        description=(
            "Send one event object, or a list of up to 100 for offline catch-up (all or "
            "nothing; events are applied in order). The learner and force come from the "
            "session; send the csrftoken cookie's value in the X-CSRFToken header. "
            "Idempotent: resending an event with the same id and body returns 200 and "
            "changes nothing. Bodies are limited to 64 KB."
        ),
        request=PROGRESS_REQUEST,
        examples=[
            OpenApiExample("Answer a knowledge check", value=EVENT_EXAMPLE, request_only=True),
            OpenApiExample(
                "Open a lesson",
                value={
                    "id": "0b7c4e52-1d9a-4f3e-8c6b-2a4d6e8f0a1c",
                    "lesson": 42,
                    "verb": "experienced",
                },
                request_only=True,
            ),
        ],
        responses={
            201: OpenApiResponse(
                PROGRESS_RESPONSE,
                description="Recorded (for a batch: at least one event was new).",
                examples=[OpenApiExample("Recorded", value=RESULT_EXAMPLE)],
            ),
            200: OpenApiResponse(
                PROGRESS_RESPONSE,
                description="A replay of an event already recorded: nothing changed.",
                examples=[OpenApiExample("Replay", value={**RESULT_EXAMPLE, "created": False})],
            ),
            400: OpenApiResponse(
                OpenApiTypes.ANY,
                description=(
                    "Field errors (for a batch: keyed by the failing event's position, from 0), "
                    "or a `detail` message. Nothing was recorded."
                ),
                examples=[
                    OpenApiExample(
                        "Unknown verb", value={"verb": ['"jumped" is not a valid choice.']}
                    ),
                    OpenApiExample(
                        "Lesson not available",
                        value={
                            "lesson": [
                                "This lesson is not available. Reload the page to see the "
                                "current course."
                            ]
                        },
                    ),
                    OpenApiExample(
                        "Batch, second event bad",
                        value={"1": {"occurred_at": ["This time is in the future."]}},
                    ),
                ],
            ),
            **ERROR_RESPONSES,
            409: OpenApiResponse(
                ConflictSerializer,
                description=(
                    "This id was already used for a different event (for a batch: nothing was "
                    "recorded; `id` names the event to drop before sending the rest again)."
                ),
                examples=[
                    OpenApiExample(
                        "Conflict",
                        value={
                            "detail": "Event 6f1c2d7e-8a4b-4c1e-9d2f-3b5a7c9e1f20 was already "
                            "recorded with different details. Send a new id for a new event.",
                            "id": "6f1c2d7e-8a4b-4c1e-9d2f-3b5a7c9e1f20",
                        },
                    )
                ],
            ),
            413: OpenApiResponse(
                ErrorSerializer,
                description="Body over 64 KB.",
                examples=[
                    OpenApiExample(
                        "Too large",
                        value={
                            "detail": f"Send at most {MAX_BODY_BYTES // 1024} KB at a time: "
                            "split the events into batches."
                        },
                    )
                ],
            ),
            415: OpenApiResponse(
                ErrorSerializer,
                description="Only application/json is accepted.",
                examples=[
                    OpenApiExample(
                        "Form post",
                        value={"detail": 'Unsupported media type "text/plain" in request.'},
                    )
                ],
            ),
        },
    )
    def post(self, request):
        data = request.data
        many = isinstance(data, list)
        if not many and not isinstance(data, dict):
            raise InvalidRequest(gettext("Send one event as a JSON object, or a list of events."))
        if many and not 1 <= len(data) <= services.PROGRESS_BATCH_MAX:
            raise InvalidRequest(
                gettext("Send between 1 and %(max)d events in a batch.")
                % {"max": services.PROGRESS_BATCH_MAX}
            )
        serializer = ProgressEventInputSerializer(data=data, many=many)
        serializer.is_valid(raise_exception=True)
        items = serializer.validated_data if many else [serializer.validated_data]
        events = self._events(items)
        try:
            if many:
                results = services.progress_record_many(learner=request.user, events=events)
            else:
                results = [services.progress_record(learner=request.user, **events[0])]
        except services.ProgressConflict as error:
            # The id lets an offline queue drop the one event the server will never take.
            raise Conflict({"detail": str(error), "id": str(error.event_id)}) from error
        except services.ProgressRejected as error:
            raise self._rejection(error, many) from error
        zone = timezone.get_current_timezone()
        body = [ProgressResultSerializer.build(result, zone) for result in results]
        created = any(result.created for result in results)
        return Response(
            body if many else body[0],
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    @staticmethod
    def _events(items: list[dict]) -> list[dict]:
        """Service arguments for each item. The service checks that each lesson exists."""
        return [
            {
                "event_id": item["id"],
                "lesson": item["lesson"],
                "verb": item["verb"],
                "result": item.get("result"),
                "occurred_at": item.get("occurred_at"),
            }
            for item in items
        ]

    @staticmethod
    def _rejection(error: services.ProgressRejected, many: bool):
        if not hasattr(error, "error_dict"):
            return InvalidRequest(" ".join(error.messages))
        if not many or error.index is None:
            return exceptions.ValidationError(error.message_dict)
        # Same shape as DRF's own errors for a list: {"<index>": {field: [messages]}}.
        errors = {error.index: error.message_dict}
        return exceptions.ValidationError(errors)


class MyProgressView(LearnerAPIView):
    @extend_schema(
        operation_id="my_progress",
        summary="My progress: every module I have started, with its lessons",
        description="The signed-in learner's own progress only. Reflections are never included.",
        responses={
            200: OpenApiResponse(
                MyProgressSerializer,
                description="The learner's modules in course order, each with its lessons.",
                examples=[
                    OpenApiExample(
                        "One module in progress",
                        value={
                            "modules": [
                                {
                                    "module": 41,
                                    "title": "Leadership",
                                    "status": "in_progress",
                                    "lessons_completed": 1,
                                    "lessons_total": 3,
                                    "score": 0,
                                    "started_at": "2026-03-01T09:02:10Z",
                                    "completed_at": None,
                                    "certificate_code": None,
                                    "lessons": [
                                        {
                                            "lesson": 42,
                                            "title": "Why doesn't he stop?",
                                            "status": "completed",
                                            "score": None,
                                            "started_at": "2026-03-01T09:02:10Z",
                                            "completed_at": "2026-03-01T09:12:40Z",
                                        }
                                    ],
                                }
                            ]
                        },
                    )
                ],
            ),
            **ERROR_RESPONSES,
        },
    )
    def get(self, request):
        modules = selectors.learner_progress(learner=request.user)
        return Response(MyProgressSerializer({"modules": modules}).data)
