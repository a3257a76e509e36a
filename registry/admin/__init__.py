"""The curators' admin: every registry model, with citations, history (who, when, what, why) and
revert, CSV/JSON import and export of the main tables, and the process page as the hub."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import changes, iom, participants, processes, sources, translations, webhooks  # noqa: F401  (registers the model admins)

admin.site.site_header = _("RCP Registry — curation")
admin.site.site_title = _("RCP Registry curation")
admin.site.index_title = _("Curate the registry")
