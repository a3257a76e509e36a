from django.urls import path
from django.views.decorators.gzip import gzip_page

from . import views
from .serving.cache import cached_page, process_page_version
from .views import feeds

app_name = "registry"

urlpatterns = [
    path("", cached_page(views.home), name="home"),
    path("search/", cached_page(views.search), name="search"),
    path("processes/", cached_page(views.process_list), name="process_list"),
    path(
        "processes/<slug:slug>/",
        cached_page(views.process_detail, version=process_page_version),
        name="process_detail",
    ),
    path("changes.atom", cached_page(feeds.ChangesFeed()), name="changes_feed"),
    path("processes/<slug:slug>/changes.atom", cached_page(feeds.ProcessChangesFeed()), name="process_feed"),
    path("states/<slug:slug>/changes.atom", cached_page(feeds.ParticipantChangesFeed()), name="state_feed"),
    path(
        "organizations/<slug:slug>/changes.atom",
        cached_page(feeds.OrganizationChangesFeed()),
        name="organization_feed",
    ),
    path("states/", cached_page(views.participant_list), name="state_list"),
    path("states/<slug:slug>/", cached_page(views.participant_detail), name="state_detail"),
    path(
        "organizations/",
        cached_page(views.participant_list),
        {"organizations": True},
        name="organization_list",
    ),
    path(
        "organizations/<slug:slug>/",
        cached_page(views.participant_detail),
        {"organizations": True},
        name="organization_detail",
    ),
    path("overlap/", cached_page(views.overlap), name="overlap"),
    path("overlap/processes/", cached_page(views.shared_members), name="overlap_processes"),
    path("timeline/", cached_page(views.timeline), name="timeline"),
    # Compressed outside the cache: the cache keeps one copy for every client.
    path("maps/<str:kind>/<slug:slug>.svg", gzip_page(cached_page(views.map_svg)), name="map"),
    path("about/", cached_page(views.about), name="about"),
    path("reports/", cached_page(views.report_index), name="report_index"),
    path("reports/overview/", cached_page(views.report_overview), name="report_overview"),
    path("reports/iom-roles/", cached_page(views.report_iom_roles), name="report_iom_roles"),
    path("reports/changes/", cached_page(views.report_changes), name="report_changes"),
    path("sources/", cached_page(views.source_list), name="source_list"),
    path("sources/<slug:slug>/", cached_page(views.source_detail), name="source_detail"),
    path("sources/<slug:slug>/copy/", views.source_copy, name="source_copy"),
]
