"""Session lifetime: Django's idle timeout (SESSION_COOKIE_AGE, refreshed here at most once every
SESSION_REFRESH_SECONDS of activity) plus an absolute limit counted from sign-in, so that a
session on a shared or lost device cannot be kept alive forever by activity."""

import time
from functools import partial

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import BACKEND_SESSION_KEY, SESSION_KEY, logout
from django.contrib.auth.middleware import (
    AuthenticationMiddleware as DjangoAuthenticationMiddleware,
)
from django.utils.functional import SimpleLazyObject

from courses.auth import REPLACED_BACKENDS, get_request_user

SIGNED_IN_AT = "signed_in_at"
REFRESHED_AT = "refreshed_at"


class AbsoluteSessionLifetimeMiddleware:
    """Signs out a session SESSION_ABSOLUTE_SECONDS after sign-in, however active it has been.

    Only sessions that carry a signed-in user are touched: requests authenticated otherwise
    (API keys) and anonymous visitors never get a session or a query from here.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = request.session
        signed_in_at = session.get(SIGNED_IN_AT)
        if (
            signed_in_at is not None
            and SESSION_KEY in session
            and time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
        ):
            logout(request)
            messages.info(request, "For your security you have been signed out. Sign in again.")
        response = self.get_response(request)
        # Stamp after the view, so the sign-in request itself starts the clock: Django's login()
        # flushes the session when a different user signs in, which clears an older stamp.
        if SESSION_KEY in session:
            now = int(time.time())
            if SIGNED_IN_AT not in session:
                session[SIGNED_IN_AT] = now
            # Writing the stamp marks the session modified, so it is saved with a fresh expiry:
            # the idle timeout counts from the last refresh, to within SESSION_REFRESH_SECONDS.
            if now - session.get(REFRESHED_AT, 0) >= settings.SESSION_REFRESH_SECONDS:
                session[REFRESHED_AT] = now
        return response


class SessionBackendUpgradeMiddleware:
    """Points sessions that name Django's or allauth's backend at courses.auth's subclass of it.

    Django signs out a session whose backend is not in AUTHENTICATION_BACKENDS; without this,
    replacing the backends would have signed everybody out. Between SessionMiddleware and
    AuthenticationMiddleware. A dictionary read per request, and one session write per old
    session.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if settings.SESSION_COOKIE_NAME in request.COOKIES:
            replacement = REPLACED_BACKENDS.get(request.session.get(BACKEND_SESSION_KEY))
            if replacement is not None:
                request.session[BACKEND_SESSION_KEY] = replacement
        return self.get_response(request)


class AuthenticationMiddleware(DjangoAuthenticationMiddleware):
    """Django's, except that `request.user` is loaded through courses.auth.get_request_user(),
    which lets the backend take the user the session read with itself (courses.sessions)."""

    def process_request(self, request):
        super().process_request(request)
        request.user = SimpleLazyObject(partial(_request_user, request))


def _request_user(request):
    # As django.contrib.auth.middleware.get_user(): once per request.
    if not hasattr(request, "_cached_user"):
        request._cached_user = get_request_user(request)
    return request._cached_user
