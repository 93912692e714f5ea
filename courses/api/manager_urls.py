"""Training managers' routes (Bearer key). Every view here derives from ManagerAPIView, and every
route with a force code from ForceScopedAPIView; tests walk these patterns to prove it."""

from django.urls import path

from courses.api import manager_views as views

urlpatterns = [
    path("forces/", views.ForceListView.as_view(), name="manager-forces"),
    path("modules/", views.ModuleListView.as_view(), name="manager-modules"),
    path(
        "forces/<slug:code>/summary/",
        views.ForceSummaryView.as_view(),
        name="manager-force-summary",
    ),
    path(
        "forces/<slug:code>/completions/",
        views.ForceCompletionsView.as_view(),
        name="manager-force-completions",
    ),
]
