"""Which record each fixture entry became: the seed's memory of what it created."""

from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["SeedKey"]


class SeedKey(models.Model):
    """A fixture entry's identity (its model and natural key as the fixtures give it, related
    records by id) and the id of the record it was loaded as.

    `manage.py seed` finds a record by this key first, so a record a curator renamed (a new slug)
    is still recognized, and one a curator deleted (the key stays, its record is gone) is never
    created again. The keys are part of the export, so an import followed by a seed keeps both."""

    key = models.CharField(_("fixture key"), max_length=600, unique=True)
    object_id = models.BigIntegerField(_("record id"))

    class Meta:
        verbose_name = _("seed key")
        verbose_name_plural = _("seed keys")
        ordering = ["pk"]

    def __str__(self):
        return f"{self.key} → {self.object_id}"
