from django.urls import path

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("ping", views.ping, name="ping"),
    path("search/", views.search, name="search"),
    path("processes/", views.process_list, name="process_list"),
    path("processes/<slug:slug>/", views.process_detail, name="process_detail"),
    path("states/", views.participant_list, name="state_list"),
    path("states/<slug:slug>/", views.participant_detail, name="state_detail"),
    path("organizations/", views.participant_list, {"organizations": True}, name="organization_list"),
    path(
        "organizations/<slug:slug>/",
        views.participant_detail,
        {"organizations": True},
        name="organization_detail",
    ),
    path("overlap/", views.overlap, name="overlap"),
    path("timeline/", views.timeline, name="timeline"),
    path("maps/<str:kind>/<slug:slug>.svg", views.map_svg, name="map"),
    path("sources/", views.source_list, name="source_list"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
]
