"""Training managers' routes (Bearer key). Every view here derives from ManagerAPIView, and every
route with a force code from ForceScopedAPIView; tests walk these patterns to prove it. The
code is matched as any path segment so that one which is not a slug gets the API's JSON 404
from the view, not the site's HTML page."""

from django.urls import path

from courses.api import benchmark_views  # Task E
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
    # Task E: a force against the national benchmark.
    path(
        "forces/<str:code>/benchmark/",
        benchmark_views.ForceBenchmarkView.as_view(),
        name="manager-force-benchmark",
    ),
]
