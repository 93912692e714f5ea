"""The force dashboard in the Wagtail admin, for force training leads (and superusers): one
force's figures (selectors.force_dashboard) with accessible SVG charts, and the two lists behind
the figures (progress rows and learners), each with a CSV download.

Scope: every view takes its force from `selectors.lead_forces(request.user)` (the URL's force
code is only looked up in that list: 404 otherwise); anyone who may see no force gets 403.
Registered from courses/wagtail_hooks.py (urls() and menu_item()). base: who may see what and
the shared helpers; dashboard: the figures and charts; lists: the lists behind them; evidence:
the evidence of cultural change (critical mass, Champions, surveys), panels/ its panels."""

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _

from courses.dashboard_admin.base import APP, DashboardMenuItem, ForcePickView
from courses.dashboard_admin.champions import ChampionListView, ChampionRemoveView
from courses.dashboard_admin.dashboard import ForceDashboardView
from courses.dashboard_admin.evidence import ForceEvidenceView
from courses.dashboard_admin.lists import LearnerListView, ProgressListView
from courses.dashboard_admin.overview import (
    EvaluatorFileView,
    EvidenceMenuItem,
    EvidenceOverviewView,
)
from courses.evidence_admin import HeadcountsView, PlanView

# --- Registration (from courses/wagtail_hooks.py) ----------------------------------------------


def urls():
    patterns = [
        path("", ForcePickView.as_view(), name="pick"),
        # Fixed segments, so they come before the "<slug:code>/" patterns they match.
        path("evidence/", EvidenceOverviewView.as_view(), name="evidence_overview"),
        path("evidence/evaluator-file/", EvaluatorFileView.as_view(), name="evaluator_file"),
        path("<slug:code>/", ForceDashboardView.as_view(), name="force"),
        path("<slug:code>/evidence/", ForceEvidenceView.as_view(), name="evidence"),
        path("<slug:code>/progress/", ProgressListView.as_view(), name="progress"),
        path(
            "<slug:code>/progress/results/",
            ProgressListView.as_view(results_only=True),
            name="progress_results",
        ),
        path("<slug:code>/learners/", LearnerListView.as_view(), name="learners"),
        path(
            "<slug:code>/learners/results/",
            LearnerListView.as_view(results_only=True),
            name="learners_results",
        ),
        # The critical-mass plan and headcounts (courses.evidence_admin).
        path("<slug:code>/evidence/plan/", PlanView.as_view(), name="evidence_plan"),
        path(
            "<slug:code>/evidence/headcounts/", HeadcountsView.as_view(), name="evidence_headcounts"
        ),
        # The force's Champions (courses.dashboard_admin.champions).
        path("<slug:code>/champions/", ChampionListView.as_view(), name="champions"),
        path(
            "<slug:code>/champions/results/",
            ChampionListView.as_view(results_only=True),
            name="champions_results",
        ),
        path(
            "<slug:code>/champions/<int:profile_id>/remove/",
            ChampionRemoveView.as_view(),
            name="champion_remove",
        ),
    ]
    return [path("force-dashboard/", include((patterns, APP), namespace=APP))]


def menu_item():
    return DashboardMenuItem(
        _("Force dashboard"),
        reverse(f"{APP}:pick"),
        name="force-dashboard",
        icon_name="table",
        order=150,
    )


# The evidence menu item (leads, programme evaluators and superusers).
def evidence_menu_item():
    return EvidenceMenuItem(
        _("Evidence"),
        reverse(f"{APP}:evidence_overview"),
        name="evidence",
        icon_name="view",
        order=151,
    )
