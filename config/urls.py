from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path, re_path
from django.views.generic import RedirectView

from registry import views

# The public pages live under a language prefix (/en/, /fr/, /es/); the admin and the API do not:
# the admin follows the language cookie or Accept-Language, and the API is language-neutral
# (names in another language on request: ?lang=).
urlpatterns = [
    # Accounts were "process snapshots" until migration 0007: their old admin addresses still lead there.
    re_path(
        r"^admin/registry/processsnapshot/(?P<rest>.*)$",
        RedirectView.as_view(
            url="/admin/registry/processaccount/%(rest)s", permanent=True, query_string=True
        ),
    ),
    path("admin/", admin.site.urls),
    path("api/", include("registry.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("favicon.ico", views.favicon, name="favicon"),
    *i18n_patterns(path("", include("registry.urls")), prefix_default_language=True),
]

handler404 = "registry.views.page_not_found"
handler500 = "registry.middleware.server_error"
