"""A learner's own Champion status, from My learning: volunteer (trained learners only) and
step down (after confirming). Both are POSTs with the CSRF token; My learning shows the
invitation or the learner's status (selectors.learner_champion)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_http_methods, require_POST

from courses import selectors, services

VOLUNTEERED = _(
    "Thank you for volunteering as a DA Matters Champion. Your force's training team can now "
    "see that you are a Champion, and may be in touch."
)
STEPPED_DOWN = _("You are no longer a DA Matters Champion. Thank you for what you did.")
NOT_A_CHAMPION = _("You are not a DA Matters Champion, so there is nothing to step down from.")


@login_required
@require_POST
def champion_volunteer(request):
    """Refused with 403 and a page saying why (nothing written) for a learner who is not yet
    trained, or an account that is not a learner's: the button is only shown to trained
    learners, so this is a stale page or a forged request."""
    try:
        services.champion_volunteer(user=request.user, path=request.path)
    except services.ChampionRefused as refusal:
        return render(
            request, "courses/champion_refused.html", {"reason": str(refusal)}, status=403
        )
    messages.success(request, VOLUNTEERED)
    return redirect("courses:dashboard")


@login_required
@require_http_methods(["GET", "POST"])
def champion_step_down(request):
    """GET: ask to confirm. POST: step down, then back to My learning."""
    if request.method == "POST":
        stepped_down = services.champion_step_down(user=request.user, path=request.path)
        messages.success(request, STEPPED_DOWN if stepped_down else NOT_A_CHAMPION)
        return redirect("courses:dashboard")
    standing = selectors.learner_champion(request.user)
    if standing is None or standing.champion_since is None:
        messages.info(request, NOT_A_CHAMPION)
        return redirect("courses:dashboard")
    return render(request, "courses/champion_step_down.html", {"champion": standing})
