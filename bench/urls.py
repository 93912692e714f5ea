"""The site's routes plus the reference views (bench/views.py). The stock Wagtail page
(bench.models.PlainPage) needs no route: Wagtail's own page serving finds it."""

from django.urls import path

from bench import views
from cms.urls import urlpatterns as site_urlpatterns

urlpatterns = [
    path("bench/bare/", views.bare),
    path("bench/bare-write/", views.bare_write),
    path("bench/signed-in-write/", views.signed_in_write),
    *site_urlpatterns,
]
