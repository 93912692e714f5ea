"""Training managers' routes (Bearer key). Every view here derives from ManagerAPIView, and every
route with a force code from ForceScopedAPIView; tests walk these patterns to prove it. The
code is matched as any path segment so that one which is not a slug gets the API's JSON 404
from the view, not the site's HTML page."""

from django.urls import path

from courses.api import champion_views, critical_mass_views
from courses.api import manager_views as views

urlpatterns = [
    path("forces/", views.ForceListView.as_view(), name="manager-forces"),
    path("modules/", views.ModuleListView.as_view(), name="manager-modules"),
    path(
        "forces/<str:code>/summary/",
        views.ForceSummaryView.as_view(),
        name="manager-force-summary",
    ),
    path(
        "forces/<str:code>/completions/",
        views.ForceCompletionsView.as_view(),
        name="manager-force-completions",
    ),
    # Task b: Champions, counts only (courses.api.champion_views).
    path(
        "forces/<str:code>/champions/",
        champion_views.ForceChampionsView.as_view(),
        name="manager-force-champions",
    ),
]

# Task a: critical mass and headcounts.
urlpatterns += [
    path(
        "forces/<str:code>/critical-mass/",
        critical_mass_views.ForceCriticalMassView.as_view(),
        name="manager-force-critical-mass",
    ),
    path(
        "forces/<str:code>/headcount/",
        critical_mass_views.ForceHeadcountView.as_view(),
        name="manager-force-headcount",
    ),
]

# --- Task D: survey results ---------------------------------------------------------------------
from courses.api import survey_views  # noqa: E402

urlpatterns += [
    path(
        "forces/<str:code>/survey-results/",
        survey_views.ForceSurveyResultsView.as_view(),
        name="manager-force-survey-results",
    ),
]
