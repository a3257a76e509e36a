"""Public pages: `pages` (home, search, lists and detail pages, sources) and `across_processes` (the
overlap matrix, the timeline, the maps)."""

from .about import about, report_index
from .across_processes import map_svg, overlap, timeline
from .health import favicon, healthz, ping
from .pages import (
    home,
    page_not_found,
    participant_detail,
    participant_list,
    process_detail,
    process_list,
    search,
    source_copy,
    source_detail,
    source_list,
)
from .reports import changes as report_changes
from .reports import iom_roles as report_iom_roles
from .reports import overview as report_overview

__all__ = [
    "about",
    "favicon",
    "healthz",
    "home",
    "map_svg",
    "overlap",
    "page_not_found",
    "ping",
    "participant_detail",
    "participant_list",
    "process_detail",
    "process_list",
    "report_changes",
    "report_index",
    "report_iom_roles",
    "report_overview",
    "search",
    "source_copy",
    "source_detail",
    "source_list",
    "timeline",
]
