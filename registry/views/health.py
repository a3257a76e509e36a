"""GET /healthz: 200 when the registry can serve, 503 with the reason when it cannot (for load
balancers and orchestrators; no authentication, no throttling, never cached).

"Can serve" means what every page needs: the database answers, every migration is applied, and
a registry table can be read. An empty, unmigrated, half-migrated or corrupt database is a 503
here, as it is on the pages (registry.middleware.DatabaseUnavailableMiddleware)."""

from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.shortcuts import redirect
from django.templatetags.static import static
from django.views.decorators.cache import never_cache

from ..models import Process, WorkerHeartbeat


def database_problem() -> str | None:
    """Why the registry's database cannot serve, or None."""
    try:
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        if pending:
            return f"{len(pending)} migrations not applied (run manage.py migrate)"
        Process.objects.exists()
    except DatabaseError as error:
        return f"database error: {str(error)[:200]}"
    return None


@never_cache
def healthz(request):
    """503 when the registry cannot serve; 200 otherwise, "degraded" when webhooks are subscribed
    to but their worker stopped beating (the site serves; the deliveries wait)."""
    problem = database_problem()
    if problem:
        return JsonResponse({"status": "error", "database": connection.vendor, "reason": problem}, status=503)
    webhooks = WorkerHeartbeat.status()
    degraded = webhooks["active_subscriptions"] and webhooks["worker"] != "running"
    status = "degraded" if degraded else "ok"
    return JsonResponse({"status": status, "database": connection.vendor, "webhooks": webhooks})


def ping(request):
    """A bare JsonResponse, no database: the floor the benchmark compares every page with."""
    return JsonResponse({"ok": True})


def favicon(request):
    """/favicon.ico, which browsers ask for by themselves: the icon among the static files (served,
    and cached for long, by whitenoise)."""
    return redirect(static("registry/favicon.ico"))
