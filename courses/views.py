from django.contrib.auth.decorators import login_required
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import render

from courses.models import SupportAudience, SupportService


def support(request):
    """National support services, plus the learner's own force's, grouped by who they are for.

    Public: no sign-in needed, so anyone affected can reach it. One query for the services.
    """
    visible = Q(force__isnull=True)
    if request.user.is_authenticated:
        visible |= Q(force__learner_profiles__user_id=request.user.pk)
    services = list(SupportService.objects.filter(visible))
    groups = [
        {"label": label, "services": [s for s in services if s.audience == value]}
        for value, label in SupportAudience.choices
    ]
    return render(request, "courses/support.html", {"groups": [g for g in groups if g["services"]]})


@login_required
def dashboard(request):
    """My learning. (Placeholder until the learner journey lands.)"""
    return render(request, "courses/dashboard.html", {})


# Lesson actions: the learner-journey issue implements these (stubs keep URL names stable).
def lesson_answer(request, page_id: int):
    return HttpResponse("Not implemented yet.", status=501)


def lesson_reflect(request, page_id: int):
    return HttpResponse("Not implemented yet.", status=501)


def lesson_complete(request, page_id: int):
    return HttpResponse("Not implemented yet.", status=501)
