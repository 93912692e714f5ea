from django.conf import settings
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.functional import SimpleLazyObject

from courses import selectors
from courses.models import ContentVersion
from courses.sessions import session_time_left


def content_version(request):
    """`content_version`: what the page fragments kept in the shared cache are keyed by beside
    the page itself (`{% wagtailpagecache %}`, `{% cache %}`): the content token, which any
    change to pages, snippets, images or documents replaces, and today's date, since testimony
    disappears when its consent review date passes. Read only when a template uses it (one
    query)."""

    return {
        "content_version": SimpleLazyObject(
            lambda: fragment_version(ContentVersion.current_token())
        )
    }


def fragment_version(token: str | None) -> str:
    """`content_version` for a content token the view has read already,
    which it may put in its context to save the query."""
    return f"{token or 'none'}-{timezone.localdate().isoformat()}"


def session_timeout(request):
    """`session_timeout` for base.html's <body>, on pages served to a signed-in user (never in
    an editor's preview): seconds until the server ends the session, the idle timeout, whether
    "Stay signed in" can put the end off, and an opaque mark of the user, so that static/js/
    kept-work.js restores what was typed only to the same account. No query: the session and
    user are loaded already."""

    def read():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or getattr(request, "is_preview", False):
            return None
        left = session_time_left(request.session)
        if left is None:
            return None
        ends_in, extendable = left
        return {
            "ends_in": ends_in,
            "extendable": extendable,
            "idle": settings.SESSION_COOKIE_AGE,
            "user": salted_hmac("courses.session_timeout", str(user.pk)).hexdigest()[:20],
        }

    return {"session_timeout": SimpleLazyObject(read)}


def translation_notice(request):
    """`translation_notice` and `page_content_lang` for base.html, on a Wagtail page served in
    a language other than the default (`request.served_page`, set by the before_serve_page
    hook in courses.wagtail_hooks): the notice (selectors.page_translation_notice) when the
    page is not translated into the learner's language or its translation is out of date,
    and "en-GB" when what the page shows is the English, so that screen readers read it as
    English inside the Welsh interface. None and "" elsewhere, without a query."""
    page = getattr(request, "served_page", None)
    notice = selectors.page_translation_notice(page) if page is not None else None
    return {
        "translation_notice": notice,
        "page_content_lang": "en-GB" if notice is not None and notice.shows_english else "",
    }
