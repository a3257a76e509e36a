"""Report the translations: each catalogue's coverage (translated / total entries) and, per
language, how many processes, organizations, states and territories have a name in it (cited
aliases, CLDR, or their own name in that language) and which are shown in another language (the
English name, or an original name in another language); and how many of the notes the registry
writes itself are written in each language (NoteTranslation), listing those that are not (a note
that only quotes a source stays in its language)."""

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from registry import local_names
from registry import models as m


class Command(BaseCommand):
    help = __doc__

    def add_arguments(self, parser):
        parser.add_argument(
            "--strict", action="store_true", help="Fail when a catalogue entry is untranslated or fuzzy."
        )

    def handle(self, *args, strict, **options):
        languages = [code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE]
        incomplete = self.catalogues(languages)
        names = local_names.book()
        processes = list(m.Process.objects.order_by("short_name"))
        organizations = list(m.Organization.objects.order_by("name"))
        states = list(m.State.objects.order_by("name"))
        notes = sorted(m.notes_written())
        for language in languages:
            self.stdout.write(f"\nNames in {language}:")
            full = [names.process_name(p, language) for p in processes]
            short = [names.process_short_name(p, language) for p in processes]
            orgs = [names.participant_name(o, language) for o in organizations]
            lands = [names.participant_name(s, language) for s in states]
            self.line("processes (name)", full)
            self.line("processes (short name)", short)
            self.line("organizations", orgs)
            acronyms = [names.participant_short_name(o, language) for o in organizations if o.acronym]
            given = sum(1 for acronym in acronyms if acronym.origin == "alias")
            counts = f"{given}/{len(acronyms)} cited in {language}"
            self.stdout.write(f"  organizations' acronyms: {counts} (the others keep theirs)")
            self.line("states and territories", lands)
            self.missing("processes without a name", processes, full, lambda p: f"{p.short_name} ({p.name})")
            self.missing(
                "processes without a short name", processes, short, lambda p: p.short_name, skip=full
            )
            self.missing("organizations", organizations, orgs, str)
            self.missing("states and territories", states, lands, lambda s: f"{s.name} ({s.iso_code})")
            self.notes(language, notes)
        if strict and incomplete:
            raise CommandError("A catalogue is incomplete: run `make messages` and translate.")

    def catalogues(self, languages) -> bool:
        self.stdout.write("Catalogues (registry/locale):")
        incomplete = False
        for language in languages:
            path = Path(settings.BASE_DIR) / "registry" / "locale" / language / "LC_MESSAGES" / "django.po"
            po = polib.pofile(str(path))
            entries = [e for e in po if not e.obsolete]
            done = len(po.translated_entries())
            fuzzy = len(po.fuzzy_entries())
            incomplete |= done < len(entries)
            self.stdout.write(
                f"  {language}: {done}/{len(entries)} entries translated ({100 * done / len(entries):.1f}%), "
                f"{fuzzy} fuzzy"
            )
        return incomplete

    def notes(self, language, notes):
        shown = [local_names.local_note(note, language) for note in notes]
        lacking = [note.text for note in shown if note.fallback]
        self.stdout.write(f"  the registry's notes: {len(notes) - len(lacking)}/{len(notes)}")
        if lacking:
            self.stdout.write(f"    notes in English only ({len(lacking)}):")
            for text in lacking:
                self.stdout.write(f"      {text}")

    def line(self, label, names):
        shown = [n for n in names if not n.fallback]
        labels = {"alias": "cited aliases", "CLDR": "CLDR", "record": "their own name"}
        by_origin = {label: sum(1 for n in shown if n.origin == origin) for origin, label in labels.items()}
        detail = ", ".join(f"{count} {label}" for label, count in by_origin.items() if count)
        self.stdout.write(f"  {label}: {len(shown)}/{len(names)}" + (f" ({detail})" if detail else ""))

    def missing(self, label, records, names, describe, skip=None):
        lacking = [
            describe(record)
            for i, (record, name) in enumerate(zip(records, names, strict=True))
            if name.fallback and not (skip and skip[i].fallback)
        ]
        if lacking:
            self.stdout.write(
                f"  without a name in the language, {label} ({len(lacking)}): " + "; ".join(lacking)
            )
