"""The reference views every benchmark figure is compared with (bench/urls.py routes them).

They run through the site's own middleware and server, so what they cost is what any view
there pays before doing anything of its own.
"""

from django.http import JsonResponse
from django.views.decorators.http import require_POST

from bench.models import BareWrite, SignedInWrite


def bare(request):
    """The smallest Django JSON view: every ratio's denominator."""
    return JsonResponse({"ok": True})


def bare_write(request):
    """The bare view plus one INSERT, committed (autocommit): the floor for any recording view."""
    BareWrite.objects.create()
    return JsonResponse({"ok": True})


@require_POST
def signed_in_write(request):
    """A signed-in learner's POST: the session and its user read by Django's SessionMiddleware
    and AuthenticationMiddleware (whatever SESSION_ENGINE and backends are configured), the
    CSRF check, and one INSERT of their id. The floor for recording a learner's event."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in first."}, status=401)
    SignedInWrite.objects.create(learner_id=request.user.pk)
    return JsonResponse({"ok": True}, status=201)
