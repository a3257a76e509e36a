"""The registry's own notes in French and Spanish.

A note a curator writes ("Took over the Chair in 2006", "Standing working group.") is the
registry's words, in English, on the record it explains. Its French and Spanish are kept here,
keyed by the English text: every record with that note shows the translation, and a note edited
later shows in English (marked as such) until its translation is written for the new text — a
stale translation never shows. Words quoted from a source stay in the source's language."""

from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

__all__ = ["NOTE_FIELDS", "NoteTranslation", "notes_written"]


class NoteTranslation(models.Model):
    english = models.TextField(
        _("note in English"),
        unique=True,
        help_text=_("Exactly as the records hold it (the pages look it up)."),
    )
    french = models.TextField(_("in French"), blank=True)
    spanish = models.TextField(_("in Spanish"), blank=True)

    class Meta:
        verbose_name = _("note translation")
        verbose_name_plural = _("note translations")
        ordering = ["english"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(english=""), name="note_translation_english_not_empty"
            ),
        ]

    def __str__(self):
        return self.english[:80]

    def clean(self):
        super().clean()
        self.english = self.english.strip()
        if not (self.french.strip() or self.spanish.strip()):
            raise ValidationError(_("Give the note in French, in Spanish, or both."))

    def text(self, language: str) -> str:
        """The note in the language ("fr", "es"), or "" where it is not written in it."""
        return {"fr": self.french, "es": self.spanish}.get(language, "")


# The fields that hold the registry's own words, as the pages show them (through `local_note`).
NOTE_FIELDS = (
    ("Participant", "note"),
    ("Participation", "status_note"),
    ("StatedTotal", "note"),
    ("WorkingGroup", "note"),
    ("IomRole", "note"),
    ("Process", "status_note"),
    ("StatusPeriod", "note"),
    ("Succession", "note"),
)


def notes_written() -> set[str]:
    """Every distinct note the records hold in NOTE_FIELDS (one query per field)."""
    from django.apps import apps

    notes = set()
    for model_name, field in NOTE_FIELDS:
        model = apps.get_model("registry", model_name)
        notes.update(model.objects.exclude(**{field: ""}).values_list(field, flat=True).distinct())
    return {note.strip() for note in notes}
