"""Learner routes: session + CSRF authentication (courses.api.learner_views)."""

from django.urls import path

from courses.api import learner_views

urlpatterns = [
    path("progress/", learner_views.ProgressView.as_view(), name="api-progress"),
    path("me/progress/", learner_views.MyProgressView.as_view(), name="api-my-progress"),
]
