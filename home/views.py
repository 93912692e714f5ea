import uuid

from django.core.cache import cache
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def database_ok() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return False
    return True


def cache_ok() -> bool:
    """A value written to the shared cache reads back. The cache backend (cms.cache) turns an
    unreachable Redis into misses, which this sees."""
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, 1, timeout=10)
    answered = cache.get(key) == 1
    cache.delete(key)
    return answered


@never_cache
@require_GET
def healthz(request):
    """Readiness for load balancers. 503 when the database is down: no page or API call can be
    served. 200 with "cache": "unavailable" when only the cache is down: the site still serves
    (more slowly, rate limits counted per process), so the server stays in rotation."""
    database = database_ok()
    cache_reached = cache_ok()
    if not database:
        body, status = {"status": "error", "database": "unavailable"}, 503
    else:
        body, status = {"status": "ok" if cache_reached else "degraded", "database": "ok"}, 200
    body["cache"] = "ok" if cache_reached else "unavailable"
    return JsonResponse(body, status=status)
