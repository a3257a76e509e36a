"""What a worker loads and builds before its first request (gunicorn's post_worker_init,
config/gunicorn.py).

Each worker loads its code (the URLconf, the templates) on its first request, and keeps what is
built once per version of the names (the names' order in each language, the reconciliation index)
and per process (each process's states and members today, for the overlap matrix and the process
list by size). Built on demand, the first visitor to need one waits for it: 0.4–0.9 s at 100 times
the data, and again in each worker gunicorn starts to replace one it recycled. Built here, a new
worker starts with them while the others still serve."""

import logging
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, connections
from django.template.loader import get_template
from django.urls import reverse
from django.utils import timezone, translation

from .. import local_names, presentation
from ..world_map import world

logger = logging.getLogger(__name__)

NAME_ORDERS = ("participant", "participant-acronym", "process", "process-name")


def load_code():
    """The URLconf (and through it every view, serializer and admin module), the templates of the
    public pages, compiled, and the world map: loaded on a worker's first request otherwise (0.3 s,
    and 0.25 s more on its first process page, which the first visitor, and every request queued
    behind it, waited for)."""
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            # Imports the URLconf; fills the reverse indexes of the pages and the API.
            reverse("registry:home"), reverse("api:process-list")
    templates = Path(apps.get_app_config("registry").path) / "templates"
    for path in sorted(templates.glob("registry/**/*.html")):
        get_template(path.relative_to(templates).as_posix())
    world()  # the world map's outlines, read once from its SVG (0.15 s), for the maps' frames


def warm_up() -> bool:
    """Load the code, then build what is kept; False (and a warning) when the database cannot
    answer yet (not migrated, unreachable): the worker then builds them on demand, as without
    warm-up."""
    load_code()
    try:
        for language, _name in settings.LANGUAGES:
            for kind in NAME_ORDERS:
                local_names.name_ranks(kind, language)
        local_names.reconciliation_index()
        today = timezone.localdate()
        presentation.states_of_processes(today)
        presentation.members_of_processes(today)
    except DatabaseError as error:
        logger.warning("Warm-up skipped, the database did not answer: %s", error)
        return False
    finally:
        connections.close_all()  # a connection opened before the first request is not carried into it
    return True
