"""The API under /api/: the resources, the OpenAPI schema and its documentation pages."""

from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerView
from rest_framework.routers import DefaultRouter

from . import exports, views

app_name = "api"

router = DefaultRouter()
router.register("processes", views.ProcessViewSet, basename="process")
router.register("participants", views.ParticipantViewSet, basename="participant")
router.register("organizations", views.OrganizationViewSet, basename="organization")
router.register("participations", views.ParticipationViewSet, basename="participation")
router.register("iom-roles", views.IomRoleViewSet, basename="iomrole")
router.register("iom-offices", views.IomOfficeViewSet, basename="iomoffice")
router.register("events", views.EventViewSet, basename="event")
router.register("regions", views.RegionViewSet, basename="region")
router.register("sources", views.SourceDocumentViewSet, basename="sourcedocument")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerView.as_view(url_name="api:schema"), name="docs"),
    path("docs/redoc/", SpectacularRedocView.as_view(url_name="api:schema"), name="redoc"),
    path("export/", exports.export_index, name="export_index"),
    re_path(r"^export/(?P<name>registry\.json|registry\.zip|popolo\.json)$", exports.export, name="export"),
    *router.urls,
    # Anything else under /api/ is a JSON 404, not an HTML page.
    re_path(r"^[\s\S]*$", views.not_found),
]
