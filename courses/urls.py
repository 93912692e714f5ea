from django.urls import path

from courses import views

app_name = "courses"
urlpatterns = [
    path("support/", views.support, name="support"),
    path("my-learning/", views.dashboard, name="dashboard"),
]
