"""One error shape for the whole API: `{"detail": "..."}` or field errors, never a stack trace."""

import logging

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cms.errors import DATABASE_UNAVAILABLE, service_unavailable

logger = logging.getLogger(__name__)


class ErrorSerializer(serializers.Serializer):
    """The `{"detail": ...}` error body, one schema component for every endpoint."""

    detail = serializers.CharField(help_text="What went wrong, for a person.")


class ConflictSerializer(ErrorSerializer):
    """A 409: the message, and the id of the event that conflicts."""

    id = serializers.UUIDField(help_text="The event id already recorded with other details.")


class InvalidRequest(exceptions.APIException):
    """400 with a single `detail` message, for errors that belong to no one field."""

    status_code = status.HTTP_400_BAD_REQUEST
    default_detail = _("This request is not valid.")
    default_code = "invalid"


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = _("This conflicts with what was already recorded.")
    default_code = "conflict"


class PayloadTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def api_exception_handler(exc, context):
    """DRF's handler, plus: Django ValidationError -> 400 with field errors; Django
    PermissionDenied keeps its message; the database unreachable -> 503 with Retry-After;
    anything unexpected -> a logged 500 with a plain message (tracebacks go to the log only)."""
    if isinstance(exc, DATABASE_UNAVAILABLE):
        logger.error("Database unavailable: %s", exc)
        return service_unavailable(context["request"])
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            exc = exceptions.ValidationError(exc.message_dict)
        else:
            exc = InvalidRequest(" ".join(exc.messages))
    elif isinstance(exc, DjangoPermissionDenied) and exc.args:
        exc = exceptions.PermissionDenied(str(exc))
    response = exception_handler(exc, context)
    if response is None:
        logger.exception("Unhandled API error", exc_info=exc)
        response = Response(
            {
                "detail": gettext(
                    "Something went wrong on our side. Please try again in a few minutes."
                )
            },
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )
    return response
