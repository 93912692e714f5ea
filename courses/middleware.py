"""Session lifetime: Django's idle timeout (SESSION_COOKIE_AGE, refreshed on each request by
SESSION_SAVE_EVERY_REQUEST) plus an absolute limit counted from sign-in, so that a session on a
shared or lost device cannot be kept alive forever by activity."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout

SIGNED_IN_AT = "signed_in_at"


class AbsoluteSessionLifetimeMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        signed_in_at = request.session.get(SIGNED_IN_AT)
        expired = (
            signed_in_at is not None
            and time.time() - signed_in_at > settings.SESSION_ABSOLUTE_SECONDS
        )
        if expired and request.user.is_authenticated:
            logout(request)
            messages.info(request, "For your security you have been signed out. Sign in again.")
        response = self.get_response(request)
        # Stamp after the view, so the sign-in request itself starts the clock: Django's login()
        # flushes the session when a different user signs in, which clears an older stamp.
        if (
            getattr(request, "user", None) is not None
            and request.user.is_authenticated
            and SIGNED_IN_AT not in request.session
        ):
            request.session[SIGNED_IN_AT] = int(time.time())
        return response
