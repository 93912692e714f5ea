"""The learner's language, remembered (issue 30).

The choice: the language switch on a learner page is a plain link to the page in the other
language (courses.templatetags.languages), so it works without JavaScript, keeps public pages
free of CSRF tokens and cookies, and carries hreflang. Reading a page under a language prefix
other than the one the browser would otherwise get (its language cookie, else the signed-in
learner's own language, else Accept-Language) is taken as choosing that language: the cookie
is set, and a learner's choice saved (LearnerProfile.language). Pages without a prefix
(/accounts/...) have a small form instead (courses.language_views).

Remembered: at sign-in the learner's own language (their choice, else Welsh for a force in
Wales) is kept in the session; a signed-in learner whose browser has no language cookie is
given it: a page without a prefix in it, a learner page in the other language redirected to
it, and the cookie set. One query at sign-in; none on other requests but the one UPDATE when
a learner switches.
"""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.http import HttpResponseRedirect
from django.utils import translation
from django.utils.cache import patch_vary_headers

from courses.selectors.languages import WELSH, url_in_language, user_language
from courses.services.languages import learner_language_save

# In the session from sign-in: the learner's own language ("" for none) and whether their
# force is in Wales (Welsh first wherever both languages are offered).
OWN_LANGUAGE = "learner_language"
WALES = "learner_in_wales"


def remember_at_sign_in(sender, request, user, **kwargs) -> None:
    """Keeps the learner's own language in the session when they sign in (one query)."""
    if request is None or not hasattr(request, "session"):
        return
    language, wales = user_language(user)
    request.session[OWN_LANGUAGE] = language or ""
    request.session[WALES] = wales


def connect_receivers() -> None:
    user_logged_in.connect(remember_at_sign_in, dispatch_uid="courses.learner_language")


def set_language_cookie(response, language: str) -> None:
    """Django's language cookie, with its settings (as django.views.i18n.set_language sets it)."""
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        path=settings.LANGUAGE_COOKIE_PATH,
        domain=settings.LANGUAGE_COOKIE_DOMAIN,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
    )


def welsh_first(request) -> bool:
    """Whether Welsh comes first where both languages are offered: Welsh is being read, or
    the browser asks for it, or the signed-in learner's force is in Wales."""
    if translation.get_language() == WELSH:
        return True
    if translation.get_language_from_request(request, check_path=False) == WELSH:
        return True
    session = getattr(request, "session", None)
    return bool(session is not None and session.get(WALES))


def _own_language(request) -> str | None:
    """The signed-in learner's own language from the session (read once for a session that
    began before it was kept there)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return None
    session = request.session
    if OWN_LANGUAGE not in session:
        language, wales = user_language(user)
        session[OWN_LANGUAGE] = language or ""
        session[WALES] = wales
    return session[OWN_LANGUAGE] or None


class LearnerLanguageMiddleware:
    """After AuthenticationMiddleware (and LocaleMiddleware, whose redirect of a path without
    a prefix then follows the language activated here)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        languages = dict(settings.LANGUAGES)
        cookie = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        if cookie not in languages:
            cookie = None
        own = None if cookie else _own_language(request)
        path_language = translation.get_language_from_path(request.path_info)

        if path_language is None:
            if own and own != translation.get_language():
                translation.activate(own)
                request.LANGUAGE_CODE = own
            response = self.get_response(request)
            if own:
                set_language_cookie(response, own)
            return response

        if own and path_language != own and request.method in ("GET", "HEAD"):
            # Just signed in (no cookie yet): the learner's own language.
            target = url_in_language(request, own)
            if target != request.get_full_path():
                response = HttpResponseRedirect(target)
                set_language_cookie(response, own)
                patch_vary_headers(response, ("Cookie",))
                return response

        response = self.get_response(request)
        if own:
            # The cookie from now on: the learner's own language, or the language of a page
            # not in theirs (their saved choice unchanged).
            set_language_cookie(response, path_language)
            return response
        expected = cookie or translation.get_language_from_request(request, check_path=False)
        if path_language != expected:
            set_language_cookie(response, path_language)
            self._save_choice(request, path_language)
        return response

    @staticmethod
    def _save_choice(request, language: str) -> None:
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return
        if learner_language_save(user=user, language=language):
            request.session[OWN_LANGUAGE] = language
