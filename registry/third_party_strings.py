"""Strings of django-simple-history's admin pages (the history of every record and its revert),
which ships no Spanish catalogue. Marked here, `make messages` keeps them in registry/locale,
whose translations Django reads before any app's, so the admin's history pages are complete in
French and Spanish too. Nothing imports this module."""

from django.utils.translation import gettext_noop, ngettext_lazy

SIMPLE_HISTORY = [
    gettext_noop("View history: %s"),
    gettext_noop("Change history: %s"),
    gettext_noop('The %(name)s "%(obj)s" was changed successfully.'),
    gettext_noop("You may edit it again below"),
    gettext_noop("View %s"),
    gettext_noop("Revert %s"),
    gettext_noop("Created"),
    gettext_noop("Changed"),
    gettext_noop("Deleted"),
    gettext_noop("Deleted %(type_name)s"),
    gettext_noop("Choose a date from the list below to revert to a previous version of this object."),
    gettext_noop("This object doesn't have a change history."),
    gettext_noop("Home"),
    gettext_noop("History"),
    gettext_noop("View %(verbose_name)s"),
    gettext_noop("Revert %(verbose_name)s"),
    gettext_noop("View on site"),
    gettext_noop("Press the 'Revert' button below to revert to this version of the object."),
    gettext_noop("Press the 'Change History' button below to edit the history."),
    gettext_noop("Object"),
    gettext_noop("Date/time"),
    gettext_noop("Comment"),
    gettext_noop("Changed by"),
    gettext_noop("Change reason"),
    gettext_noop("Changes"),
    gettext_noop("None"),
    ngettext_lazy("entry", "entries"),
    gettext_noop("Revert"),
    gettext_noop("Change History"),
    gettext_noop("Close"),
]
