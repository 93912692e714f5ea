"""Error pages: 503 while the database cannot be reached, 500, and a failed CSRF check.

While the database cannot be reached, answer 503 with Retry-After instead of a 500.

The API (paths under /api/) answers `{"detail": ...}` as JSON; every other path answers the
designed page templates/503.html, which reads nothing from the database. A database error in
a view reaches `DatabaseUnavailableMiddleware.process_exception` (Django's documented hook;
API views answer through courses.api.exceptions first); one raised in a middleware before the
view (reading the session, say) reaches Django's 500 handler, `server_error` below.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views import defaults

logger = logging.getLogger(__name__)

# Connection refused, dropped or refused for lack of slots ("too many clients"), and a
# connection already closed under the app.
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


# "The same request": a progress event sent again with its id is recorded once, whether or not
# the first attempt reached the database before it went.
def api_unavailable_detail() -> str:
    return gettext(
        "The service is briefly unavailable. "
        "Please send the same request again in %(seconds)d seconds."
    ) % {"seconds": RETRY_AFTER_SECONDS}


def service_unavailable(request) -> HttpResponse:
    """503 with Retry-After: JSON for the API, the designed page for everything else."""
    if request.path.startswith("/api/"):
        response = JsonResponse({"detail": api_unavailable_detail()}, status=503)
    else:
        # No request in the context: its user and messages would read the database.
        response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


class DatabaseUnavailableMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("Database unavailable: %s %s: %s", request.method, request.path, exception)
            return service_unavailable(request)
        return None


def server_error(request):
    """Django's handler500, called while the exception is being handled: a database outage
    gets the 503, anything else Django's own 500."""
    error = sys.exc_info()[1]
    if isinstance(error, DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    return defaults.server_error(request)


def csrf_failure(request, reason: str = "") -> HttpResponse:
    """CSRF_FAILURE_VIEW: a form sent with a missing or expired token (the page was open from
    before a sign-in or sign-out, or the cookie was lost). Says what to do, with a link back to
    the form's page when the browser said which it was and it is one of ours. (Django has
    logged the reason already, on the django.security.csrf logger.)"""
    referer = request.META.get("HTTP_REFERER", "")
    back_url = (
        referer
        if url_has_allowed_host_and_scheme(
            referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        else ""
    )
    return render(request, "403_csrf.html", {"back_url": back_url}, status=403)
