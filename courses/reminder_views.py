"""A learner's choice of reminder emails: the "stop due-soon reminders" link in each reminder
(no sign-in needed) and the signed-in page to turn them off or back on.

Overdue notices for required training are not optional, so neither page can stop them.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from courses import services
from courses.models import LearnerProfile

TURNED_OFF = _('You will no longer get "due soon" reminders.')
TURNED_ON = _('You will get "due soon" reminders again.')


def _optional_reminders(user_id: int) -> bool | None:
    """The learner's choice, or None for an account that is not a learner's. One query."""
    return (
        LearnerProfile.objects.filter(user_id=user_id)
        .values_list("optional_reminders", flat=True)
        .first()
    )


# The link's signature is the credential, not a session: mail programs send the RFC 8058
# one-click POST ("List-Unsubscribe=One-Click") from their own servers, with no cookie and no
# CSRF token. Exempting this one view is safe because a forged POST needs the signed link,
# and all it can do is change the learner's own "due soon" choice.
@csrf_exempt
@never_cache
@require_http_methods(["GET", "POST"])
def reminders_stop(request, token: str):
    """GET: a page that asks to confirm (link scanners follow links; they must not opt anyone
    out). POST: stop "due soon" reminders, or with `reminders=on` turn them back on."""
    try:
        user_id = services.reminder_stop_user_id(token)
    except signing.SignatureExpired:
        return _bad_link(request, expired=True)
    except signing.BadSignature:
        return _bad_link(request, expired=False)
    enabled = _optional_reminders(user_id)
    if enabled is None:
        return _bad_link(request, expired=False)
    done = False
    if request.method == "POST":
        enabled = request.POST.get("reminders") == "on"
        services.reminders_optional_set(user_id=user_id, enabled=enabled)
        done = True
    return render(
        request, "courses/reminders_stop.html", {"enabled": enabled, "done": done, "token": token}
    )


def _bad_link(request, *, expired: bool):
    return render(request, "courses/reminders_bad_link.html", {"expired": expired}, status=400)


@login_required
@never_cache
@require_http_methods(["GET", "POST"])
def reminder_settings(request):
    """The signed-in learner's reminder emails: what they get, and "due soon" on or off."""
    enabled = _optional_reminders(request.user.pk)
    if enabled is None:
        raise Http404(gettext("Reminders are sent to learners only."))
    if request.method == "POST":
        enabled = request.POST.get("reminders") == "on"
        services.reminders_optional_set(user_id=request.user.pk, enabled=enabled)
        messages.success(request, TURNED_ON if enabled else TURNED_OFF)
        return redirect("courses:reminder_settings")
    return render(request, "courses/reminders_settings.html", {"enabled": enabled})
