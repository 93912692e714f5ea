"""How long a signed-in session lasts (the rules courses.middleware enforces), in one place for
the middleware, the pages that warn before a session ends and the view that extends one."""

import time

from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.translation import gettext, ngettext

# Session keys: when the user signed in, and when the idle timeout was last moved on.
SIGNED_IN_AT = "signed_in_at"
REFRESHED_AT = "refreshed_at"


def duration(seconds: int) -> str:
    """A setting's length in words: "1 hour", "12 hours", "30 minutes", "20 seconds"."""
    if seconds >= 3600 and seconds % 3600 == 0:
        count = seconds // 3600
        return ngettext("%(count)d hour", "%(count)d hours", count) % {"count": count}
    if seconds >= 60 and seconds % 60 == 0:
        count = seconds // 60
        return ngettext("%(count)d minute", "%(count)d minutes", count) % {"count": count}
    return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}


def absolute_limit_message() -> str:
    return gettext(
        "For your security, we signed you out because you signed in %(duration)s ago. "
        "Sign in again to carry on."
    ) % {"duration": duration(settings.SESSION_ABSOLUTE_SECONDS)}


def idle_limit_message() -> str:
    idle = duration(settings.SESSION_COOKIE_AGE)
    return gettext(
        "We sign you out after %(duration)s without any activity, to protect your information."
    ) % {"duration": idle}


def session_refresh(session) -> None:
    """Moves the idle timeout on now, whenever it was last moved: the session is saved with a
    fresh expiry at the end of this request (courses.middleware does so at most once every
    SESSION_REFRESH_SECONDS)."""
    session[REFRESHED_AT] = int(time.time())


def session_time_left(session) -> tuple[int, bool] | None:
    """For a signed-in session, at the end of this request: (seconds until the server ends it,
    whether activity can put that off), or None without a signed-in user.

    Mirrors courses.middleware: the idle timeout runs from the last refresh (this request's,
    when one is due), the absolute limit from sign-in; the earlier one ends the session. Never
    later than the truth: a session also saved for another reason lasts a little longer.
    """
    if SESSION_KEY not in session:
        return None
    now = int(time.time())
    refreshed = session.get(REFRESHED_AT, 0)
    if now - refreshed >= settings.SESSION_REFRESH_SECONDS:
        refreshed = now
    idle_end = refreshed + settings.SESSION_COOKIE_AGE
    absolute_end = session.get(SIGNED_IN_AT, now) + settings.SESSION_ABSOLUTE_SECONDS
    return max(0, min(idle_end, absolute_end) - now), idle_end < absolute_end


# Signing in through a force's identity provider (courses.sso_views): the nonces sent and not yet
# used; the raw ID token and provider of this sign-in (for the provider's sign-out); after
# signing out, what the signed-out page needs to offer the provider's sign-out.
SSO_NONCES = "sso_nonces"
SSO_ID_TOKEN = "sso_id_token"  # noqa: S105 - a session key
SSO_PROVIDER = "sso_provider_id"
SSO_SIGNED_OUT = "sso_signed_out"
