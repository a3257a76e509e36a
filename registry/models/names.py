"""The abstract alias: another name of a record, with its language, kind and citations."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import AliasKind
from ..names import normalize_name
from .base import CitableModel

__all__ = ["AliasModel"]


class AliasModel(CitableModel):
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, editable=False)
    language = models.CharField(
        _("language"), max_length=8, default="en", help_text=_("BCP 47 code: en, es, fr, …")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AliasKind.choices, default=AliasKind.VARIANT)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} [{self.language}]"

    def save(self, *args, **kwargs):
        self.before_save()
        super().save(*args, **kwargs)

    def before_save(self):
        """What save() derives; bulk inserts (the fixture loader) call it too."""
        self.name_key = normalize_name(self.name)
