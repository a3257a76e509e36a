"""The curators' admin: every registry model, with citations, history (who, when, what, why) and
revert, CSV/JSON import and export of the main tables, and the process page as the hub."""

from . import iom, participants, processes, sources  # noqa: F401  (registers the model admins)
