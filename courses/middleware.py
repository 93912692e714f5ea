"""Sessions (Django's own): a session cookie that Django's database, cache, cached_db or file
engine could not have issued is ignored; and their lifetime, Django's idle timeout
(SESSION_COOKIE_AGE, refreshed here at most once every SESSION_REFRESH_SECONDS of activity)
plus an absolute limit counted from sign-in, so that a session on a shared or lost device
cannot be kept alive forever by activity."""

import re
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout

from courses.sessions import REFRESHED_AT, SIGNED_IN_AT, absolute_limit_message

# What Django's session engines store as a key: lowercase letters and digits (32 of them when
# Django makes it), at most the 40 characters of the sessions table's column.
_SESSION_KEY = re.compile(r"[0-9a-z]{8,40}")


class MalformedSessionCookieMiddleware:
    """Treats a session cookie that Django's database, cache, cached_db or file session engine
    could not have issued (a NUL or another control character, punctuation, an overlong value)
    as no session cookie at all. (Not for the signed_cookies engine, whose values hold ":".)

    Such a key would otherwise reach the database, which may refuse it (PostgreSQL refuses a
    NUL in a string) and turn a forged cookie into a server error. Before SessionMiddleware, so
    the request goes on as a visitor's; the response replaces the cookie with a new session's,
    or deletes it.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = settings.SESSION_COOKIE_NAME
        key = request.COOKIES.get(name)
        if key is None or _SESSION_KEY.fullmatch(key):
            return self.get_response(request)
        del request.COOKIES[name]
        response = self.get_response(request)
        if name not in response.cookies:
            response.delete_cookie(
                name,
                path=settings.SESSION_COOKIE_PATH,
                domain=settings.SESSION_COOKIE_DOMAIN,
                samesite=settings.SESSION_COOKIE_SAMESITE,
            )
        return response


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
            request.session_limit_reached = True  # courses.session_views says why only once
            messages.info(request, absolute_limit_message())
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
