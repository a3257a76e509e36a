"""GET /healthz: 200 when the application can query its database, 503 when it cannot (for load
balancers and orchestrators; no authentication, no throttling, never cached)."""

from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


@never_cache
def healthz(request):
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return JsonResponse({"status": "error", "database": str(error)[:200]}, status=503)
    return JsonResponse({"status": "ok", "database": connection.vendor})


def ping(request):
    """A bare JsonResponse, no database: the floor the benchmark compares every page with."""
    return JsonResponse({"ok": True})
