"""Certificates: the learner's own, and the public verification of a code by someone holding
a printed certificate (only what verification needs, module and date, never the learner).
Shown in the language of the address; issued once, whatever the language the module was
taken in."""

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from courses import selectors
from courses.models import display_name, localized_pages
from courses.progress.rules import certificate_code_normalise


@require_safe
def certificate_verify(request, code: str):
    """Public: confirms a certificate code with the module and date only (see template).
    A code typed into the address in another form (lower case, no hyphens) is redirected to
    its canonical address."""
    canonical = certificate_code_normalise(code)
    if canonical is None:
        raise Http404(gettext("No certificate has this code."))
    if canonical != code:
        return redirect("courses:certificate_verify", code=canonical)
    progress = selectors.certificate_by_code(canonical)
    if progress is None:
        raise Http404(gettext("No certificate has this code."))
    # The module's title in the page's language (its translation, when there is one).
    module = localized_pages([progress.module])[progress.module_id]
    return render(
        request, "courses/certificate_verify.html", {"progress": progress, "module": module}
    )


CODE_SHAPE_ERROR = _(
    "Enter the code as it is printed on the certificate: 12 letters and numbers, like "
    "K7QD-3MXR-9TWA. Codes never use the letters I, L or O, or the numbers 0 or 1."
)
CODE_UNKNOWN_ERROR = _("No certificate has this code. Check it and try again.")


@require_safe
def certificate_lookup(request):
    """The verification form: someone holding a printed certificate types its code, in any
    case, with or without hyphens or spaces. 400 for what cannot be a code, 404 for a code no
    certificate has, each with the form and its error."""
    typed = request.GET.get("code", "").strip()
    if not typed:
        return render(request, "courses/certificate_lookup.html", {"code": ""})
    code = certificate_code_normalise(typed)
    if code is None:
        error, status = CODE_SHAPE_ERROR, 400
    elif selectors.certificate_by_code(code) is None:
        error, status = CODE_UNKNOWN_ERROR, 404
    else:
        return redirect("courses:certificate_verify", code=code)
    return render(
        request,
        "courses/certificate_lookup.html",
        {"code": typed[:40], "error": error},
        status=status,
    )


@login_required
def certificate(request, module_id: int):
    """The learner's own certificate; anyone else (even with the URL) gets a 404."""
    progress = selectors.learner_certificate(request.user, module_id)
    if progress is None:
        raise Http404(gettext("No certificate for this module yet."))
    verify_url = request.build_absolute_uri(
        reverse("courses:certificate_verify", args=[progress.certificate_code])
    )
    return render(
        request,
        "courses/certificate.html",
        {
            "progress": progress,
            # The module's title in the page's language (its translation, when there is one).
            "module": localized_pages([progress.module])[progress.module_id],
            "learner_name": display_name(request.user),
            "verify_url": verify_url,
            "post_survey": selectors.post_survey_offer(user=request.user),
        },
    )
