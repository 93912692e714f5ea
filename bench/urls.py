"""The site's routes plus two reference views, through the same middleware and server:

- /bench/bare/: the smallest Django JSON view, that every other figure is divided by;
- /bench/bare-write/: the same, plus one INSERT and COMMIT into a table of its own
  (bench_bare_write, made by bench/run.py): the floor for any view that records something.
"""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path

from cms.urls import urlpatterns as site_urlpatterns


def bare(request):
    return JsonResponse({"ok": True})


def bare_write(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_write (at) VALUES (now())")
    return JsonResponse({"ok": True})


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-write/", bare_write),
    *site_urlpatterns,
]
