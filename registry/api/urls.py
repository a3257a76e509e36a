"""The API under /api/: the resources, the OpenAPI schema and its documentation pages."""

import re

from csp.decorators import csp_update
from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from ..exports.downloads import DOWNLOADS
from . import changes, docs, exports, reconcile, views
from .renderers import JsonForAnyClient

app_name = "api"
DOCS_POLICY = csp_update(
    {"style-src": ["'unsafe-inline'"], "img-src": ["data:"], "worker-src": ["'self'", "blob:"]}
)

router = DefaultRouter()
router.APIRootView = views.RegistryRootView
router.register("processes", views.ProcessViewSet, basename="process")
router.register("states", views.StateViewSet, basename="state")
router.register("participants", views.LegacyParticipantViewSet, basename="participant")  # before /states/
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("participations", views.ParticipationViewSet, basename="participation")
router.register("iom-roles", views.IomRoleViewSet, basename="iomrole")
router.register("iom-offices", views.IomOfficeViewSet, basename="iomoffice")
router.register("events", views.EventViewSet, basename="event")
router.register("regions", views.RegionViewSet, basename="region")
router.register("sources", views.SourceDocumentViewSet, basename="sourcedocument")

urlpatterns = [
    # JSON to a browser following the API root's link (YAML to whoever asks for it).
    path("schema/", SpectacularAPIView.as_view(content_negotiation_class=JsonForAnyClient), name="schema"),
    # Swagger UI with its start-up script as a file of its own (the "split" view), so that the
    # Content-Security-Policy needs no inline script; both UIs set inline styles and ReDoc runs a
    # blob: worker, which their policy allows.
    path("docs/", DOCS_POLICY(SpectacularSwaggerSplitView.as_view(url_name="api:schema")), name="docs"),
    path("docs/redoc/", DOCS_POLICY(SpectacularRedocView.as_view(url_name="api:schema")), name="redoc"),
    path("docs/redoc.js", docs.redoc, name="redoc-script"),
    path("changes/", changes.ChangeViewSet.as_view({"get": "list"}), name="change-list"),
    path("reconcile/", reconcile.ReconcileView.as_view(), name="reconcile"),
    *[
        path(
            f"reconcile/suggest/{kind}/",
            reconcile.SuggestView.as_view(kind=kind),
            name=f"reconcile-suggest-{kind}",
        )
        for kind in ("entity", "property", "type")
    ],
    path("reconcile/preview/", reconcile.PreviewView.as_view(), name="reconcile-preview"),
    path("reconcile/view/", reconcile.EntityPageView.as_view(), name="reconcile-view"),
    path("export/", exports.export_index, name="export_index"),
    re_path(rf"^export/(?P<name>{'|'.join(map(re.escape, DOWNLOADS))})$", exports.export, name="export"),
    *router.urls,
    # Anything else under /api/ is a JSON 404, not an HTML page.
    re_path(r"^[\s\S]*$", views.not_found),
]
