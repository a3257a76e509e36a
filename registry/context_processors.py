"""What every page needs: the other languages, the menu, the sources the footer names."""

from django.conf import settings
from django.urls import reverse, translate_url
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from .dates import day_label
from .presentation import known_sources


def language_url(request, language: str) -> str:
    """The current page (path and query: the filters and the date in use) in another language."""
    full_path = request.get_full_path()
    url = translate_url(full_path, language)
    if url == full_path:  # an unknown page (404): swap the prefix itself
        current = translation.get_language_from_path(request.path_info)
        if current:
            url = f"/{language}/" + full_path[len(current) + 2 :]
    return url


def languages(request):
    prefix = translation.get_language_from_path(request.path_info)
    if not prefix:
        return {"language_links": []}  # the admin and the API pages have their own ways
    current = translation.get_language()
    return {
        # The address without a prefix: it redirects to each visitor's language.
        "default_language_url": request.get_full_path()[len(prefix) + 1 :],
        "language_links": [
            {"code": code, "name": name, "url": language_url(request, code), "current": code == current}
            for code, name in settings.LANGUAGES
        ],
    }


# The main menu: (URL name, label, the pages that mark it as the current one).
NAVIGATION = [
    ("registry:process_list", _("Processes"), {"process_list", "process_detail"}),
    ("registry:state_list", _("States and territories"), {"state_list", "state_detail"}),
    ("registry:organization_list", _("Organizations"), {"organization_list", "organization_detail"}),
    ("registry:overlap", _("Overlap"), {"overlap", "overlap_processes"}),
    ("registry:timeline", _("Timeline"), {"timeline"}),
    (
        "registry:report_index",
        _("Reports"),
        {"report_index", "report_overview", "report_iom_roles", "report_changes"},
    ),
    ("registry:source_list", _("Sources"), {"source_list", "source_detail"}),
    ("registry:about", _("About"), {"about"}),
]
# Links that keep the date in use (the sources and the about page do not depend on it).
DATED = {
    "registry:process_list",
    "registry:state_list",
    "registry:organization_list",
    "registry:overlap",
    "registry:timeline",
    "registry:report_index",
}


def site(request):
    """The menu with the current page marked, and the registry's sources (for the footer): read
    from the database once per registry version, so that a source a curator adds is named."""
    match = getattr(request, "resolver_match", None)
    current = match.url_name if match and match.namespace == "registry" else None

    def navigation():
        return [
            {"url": reverse(name), "label": label, "current": current in pages, "dated": name in DATED}
            for name, label, pages in NAVIGATION
        ]

    return {
        "navigation": navigation,
        "registry_sources": known_sources,
        "today_label": lambda: day_label(timezone.localdate()),
    }
