"""What a worker builds before its first request (gunicorn's post_worker_init, config/gunicorn.py).

Each worker keeps what is built once per version of the names (the names' order in each language,
the reconciliation index) and per process (each process's states and members today, for the
overlap matrix and the process list by size). Built on demand, the first visitor to need one
waits for it: 0.4–0.9 s at 100 times the data, and again in each worker gunicorn starts to replace
one it recycled. Built here, a new worker starts with them while the others still serve."""

import logging

from django.conf import settings
from django.db import DatabaseError, connections
from django.utils import timezone

from . import local_names, presentation
from .api import reconcile
from .views import across_processes

logger = logging.getLogger(__name__)

NAME_ORDERS = ("participant", "process", "process-name")


def warm_up() -> bool:
    """Build them; False (and a warning) when the database cannot answer yet (not migrated,
    unreachable): the worker then builds them on demand, as without warm-up."""
    try:
        for language, _name in settings.LANGUAGES:
            for kind in NAME_ORDERS:
                local_names.name_ranks(kind, language)
        reconcile.index()
        today = timezone.localdate()
        across_processes.states_of_processes(today)
        presentation.members_of_processes(today)
    except DatabaseError as error:
        logger.warning("Warm-up skipped, the database did not answer: %s", error)
        return False
    finally:
        connections.close_all()  # a connection opened before the first request is not carried into it
    return True
