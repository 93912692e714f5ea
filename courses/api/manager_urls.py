"""Training managers' routes (Bearer key). Every view here derives from ManagerAPIView, and every
route with a force code from ForceScopedAPIView; tests walk these patterns to prove it. The
code is matched as any path segment so that one which is not a slug gets the API's JSON 404
from the view, not the site's HTML page."""

from django.urls import path

from courses.api import benchmark_views, champion_views, critical_mass_views, survey_views
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
    # Evidence of cultural change: aggregates only, never a learner.
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
    path(
        "forces/<str:code>/champions/",
        champion_views.ForceChampionsView.as_view(),
        name="manager-force-champions",
    ),
    path(
        "forces/<str:code>/survey-results/",
        survey_views.ForceSurveyResultsView.as_view(),
        name="manager-force-survey-results",
    ),
    path(
        "forces/<str:code>/benchmark/",
        benchmark_views.ForceBenchmarkView.as_view(),
        name="manager-force-benchmark",
    ),
]
