from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
    path("", include("registry.urls")),
]

handler404 = "registry.views.page_not_found"
