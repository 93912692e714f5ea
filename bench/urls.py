"""The site's routes plus three reference views, through the same middleware and server:

- /bench/bare/: the smallest Django JSON view, that every other figure is divided by;
- /bench/bare-write/: the same, plus one INSERT and COMMIT into a table of its own
  (bench_bare_write, made by bench/run.py): the floor for any view that records something;
- /bench/signed-in-write/: a POST from a signed-in learner, with the CSRF check, and one INSERT
  and COMMIT of their id (bench_signed_in_write): the floor for recording a learner's event,
  which must read the session and its user, check the CSRF token and write durably, as the
  progress POST does before it does anything of its own.
"""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.http import require_POST

from cms.urls import urlpatterns as site_urlpatterns

# The reference views' own tables (PostgreSQL), made by bench/run.py before each run.
REFERENCE_TABLES = (
    "CREATE TABLE IF NOT EXISTS bench_bare_write "
    "(id bigserial PRIMARY KEY, at timestamptz NOT NULL)",
    "CREATE TABLE IF NOT EXISTS bench_signed_in_write "
    "(id bigserial PRIMARY KEY, learner_id integer NOT NULL, at timestamptz NOT NULL)",
)


def bare(request):
    return JsonResponse({"ok": True})


def bare_write(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_bare_write (at) VALUES (now())")
    return JsonResponse({"ok": True})


@require_POST
def signed_in_write(request):
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in first."}, status=401)
    with connection.cursor() as cursor:  # autocommit: one statement, one transaction
        cursor.execute(
            "INSERT INTO bench_signed_in_write (learner_id, at) VALUES (%s, now())",
            [request.user.pk],
        )
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("bench/bare/", bare),
    path("bench/bare-write/", bare_write),
    path("bench/signed-in-write/", signed_in_write),
    *site_urlpatterns,
]
