"""Public pages: `pages` (home, search, lists and detail pages), `sources`, `across_processes` (the
overlap matrices, the timeline, the maps), `reports`, `about` and the feeds."""

from .about import about, report_index
from .across_processes import overlap, shared_members, timeline
from .health import favicon, healthz, ping
from .maps import map_svg
from .pages import home, page_not_found, search
from .participants import participant_detail, participant_list
from .processes import process_detail, process_list
from .reports import changes as report_changes
from .reports import iom_roles as report_iom_roles
from .reports import overview as report_overview
from .sources import source_copy, source_detail, source_list

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
    "shared_members",
    "source_copy",
    "source_detail",
    "source_list",
    "timeline",
]
