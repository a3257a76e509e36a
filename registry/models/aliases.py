"""The abstract alias: another name of a record, with its language, kind and citations."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from ..choices import AliasKind, NameDisplay
from ..matching import normalize_name
from .base import CitableModel

__all__ = ["AliasModel", "display_constraints"]


def display_constraints(owner: str, prefix: str) -> list:
    """At most one name and one short name shown per record and language; none in English, where
    the record's own name and short name are shown."""
    return [
        models.UniqueConstraint(
            fields=[owner, "language", "display"],
            condition=~Q(display=""),
            name=f"{prefix}_one_display_per_language",
            violation_error_message=_("Another name is already shown in this language; unmark it first."),
        ),
        models.CheckConstraint(
            condition=Q(display="") | ~Q(language=settings.LANGUAGE_CODE),
            name=f"{prefix}_display_not_english",
            violation_error_message=_(
                "In English the record's own name and short name are shown; mark only other languages."
            ),
        ),
    ]


class AliasModel(CitableModel):
    name = models.CharField(_("name"), max_length=300)
    name_key = models.CharField(max_length=300, editable=False)
    language = models.CharField(
        _("language"), max_length=8, default="en", help_text=_("BCP 47 code: en, es, fr, …")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=AliasKind.choices, default=AliasKind.VARIANT)
    display = models.CharField(
        _("shown as"),
        max_length=5,
        choices=NameDisplay.choices,
        blank=True,
        help_text=_(
            "Pages in this language show this name in place of the English one (one name and one "
            "short name per language). Cite where the name is given."
        ),
    )

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self):
        return f"{self.name} [{self.language}]"

    @property
    def is_a_name(self) -> bool:
        """False for a spelling only remembered as a document cited it (AliasKind.AS_CITED)."""
        return self.kind != AliasKind.AS_CITED

    def save(self, *args, **kwargs):
        self.before_save()
        super().save(*args, **kwargs)

    def before_save(self):
        """What save() derives; bulk inserts (the fixture loader) call it too."""
        self.name_key = normalize_name(self.name)
