"""The end of a signed-in session, as the learner meets it (static/js/session.js and
kept-work.js are the browser's half): a lesson form posted after the session ended goes back to
the lesson through sign-in, "Stay signed in" extends the session, and a session the page's timer
let run out ends with the reason on the sign-in page."""

from functools import wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpResponseNotAllowed, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from courses.models import LessonPage
from courses.sessions import (
    absolute_limit_message,
    duration,
    idle_limit_message,
    session_refresh,
    session_time_left,
)


def wants_json(request) -> bool:
    """A request from the lesson's scripts, which ask for JSON only (a form post asks for HTML
    as well)."""
    return request.accepts("application/json") and not request.accepts("text/html")


def lesson_form(view):
    """For the views behind a lesson's forms, which take POSTs for the lesson `page_id` from a
    signed-in user (in place of login_required and require_POST).

    A signed-out POST (most often from a page left open until the session ended) is sent to
    sign-in with the lesson itself as `next`, never this POST-only URL, and the sign-in page says
    why; kept-work.js has kept what was typed and puts it back on the lesson. One that asks for
    JSON only (the lesson's script) gets a 401 instead, and the reason waits for the sign-in
    page. A GET (a link to this URL) is sent to the lesson. One query for the lesson's URL,
    none when signed in.
    """

    @wraps(view)
    def wrapper(request, page_id: int, *args, **kwargs):
        if request.method == "POST" and request.user.is_authenticated:
            return view(request, page_id, *args, **kwargs)
        if request.method not in ("GET", "HEAD", "POST"):
            return HttpResponseNotAllowed(["POST"])
        lesson = LessonPage.objects.live().filter(pk=page_id).first()
        lesson_url = lesson.get_url(request) if lesson is not None else None
        if request.method != "POST":
            if lesson_url is None:
                raise Http404(gettext("No lesson has this address."))
            return redirect(lesson_url)
        if getattr(request, "session_limit_reached", False):
            # The middleware has just signed them out and said why.
            told = gettext(
                "We could not save your last change. Sign in again to go back to the lesson."
            )
        else:
            told = gettext(
                "You are signed out, so we could not save your last change. %(idle_limit)s "
                "Sign in again to go back to the lesson."
            ) % {"idle_limit": idle_limit_message()}
        messages.info(request, told)
        if wants_json(request):
            # The lesson's script (reflections.js) saving in the background: it offers sign-in
            # itself (session.js), and the message above is waiting on the sign-in page.
            return JsonResponse(
                {"detail": gettext("You have been signed out. Sign in again.")}, status=401
            )
        return redirect_to_login(lesson_url or reverse("courses:dashboard"))

    return wrapper


@never_cache
@require_POST
def stay_signed_in(request):
    """ "Stay signed in" in the timeout warning: moves the idle timeout on now (a session write,
    whatever SESSION_REFRESH_SECONDS says) and answers how long the session has left, in
    seconds, and whether activity can put that off (not once the absolute limit is nearer)."""
    if not request.user.is_authenticated:
        return JsonResponse(
            {"detail": gettext("Your session has ended. Sign in again.")}, status=401
        )
    session_refresh(request.session)
    ends_in, extendable = session_time_left(request.session)
    return JsonResponse({"ends_in": ends_in, "extendable": extendable})


@require_POST
def timed_out(request):
    """The page's timer ran out with nobody there (session.js): signs out, if the server has not
    already, and sends them to sign-in with the reason, then back to `next` (a page of this
    site; My learning otherwise). `reason` is "absolute" when the limit from sign-in ended it."""
    if request.user.is_authenticated:
        logout(request)
    if request.POST.get("reason") == "absolute":
        messages.info(request, absolute_limit_message())
    else:
        idle = duration(settings.SESSION_COOKIE_AGE)
        messages.info(
            request,
            gettext(
                "We signed you out because you had not done anything for %(duration)s. This "
                "keeps your information safe. Sign in again to carry on where you were."
            )
            % {"duration": idle},
        )
    next_url = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("courses:dashboard")
    return redirect_to_login(next_url)
