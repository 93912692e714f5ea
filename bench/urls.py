"""The site's routes plus /bench/bare/: the smallest Django JSON view, through the same
middleware and server, that every other figure is divided by."""

from django.http import JsonResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    return JsonResponse({"ok": True})


urlpatterns = [path("bench/bare/", bare), *site_urlpatterns]
