"""Names of processes and participants in the active language, sorting in that language, and the
registry's own notes in that language (NoteTranslation: `local_note`).

Where a name in French or Spanish comes from:
1. a curated alias marked as the name (or short name) shown in that language, citing where a
   source gives it (SCPF/30's Spanish body names every process it lists);
2. for a state or territory, the Unicode CLDR name of its ISO 3166-1 code (through Babel: the
   names operating systems and browsers show), which is locale data, not a fact about an RCP;
3. otherwise the English name, marked as a fallback wherever it is shown.

All the marked aliases are read in one query and kept, with the names' order, for as long as no
name changes (RegistryVersion's names number, which only writes to the named records move), so a
list of any length costs no query per row, and a write to a participation rebuilds neither.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from types import SimpleNamespace

import pyuca
from django.conf import settings
from django.db.models import Value
from django.utils import translation

from . import models as m
from .choices import NameDisplay
from .matching import normalize_name
from .serving.cache import versioned
from .territories import territory_names

DEFAULT = settings.LANGUAGE_CODE
CLDR = "CLDR"
MULTIPLE = "mul"  # BCP 47: a name used as is in several languages


@dataclass(frozen=True)
class LocalName:
    text: str
    language: str  # the language of `text`
    requested: str  # the language asked for
    origin: str = "record"  # "record" (the English name), "alias" (curated, cited) or CLDR
    alias_id: int | None = None

    @property
    def fallback(self) -> bool:
        """Shown in another language (English, or the original) for want of a name in the language
        asked for; a name used as is in every language ("mul": Frontex) is not a fallback."""
        return self.language not in (self.requested, MULTIPLE)

    def __str__(self):
        return self.text


def language_code(language: str | None = None) -> str:
    """One of settings.LANGUAGES (the active language by default; "es-mx" gives "es")."""
    language = (language or translation.get_language() or DEFAULT).lower()
    codes = {code for code, _name in settings.LANGUAGES}
    if language in codes:
        return language
    return language.split("-")[0] if language.split("-")[0] in codes else DEFAULT


class NameBook:
    """Every alias marked as shown in a language: {(owner kind, owner id, language, display): row}."""

    def __init__(self):
        self.names = {}
        fields = ("language", "display", "name", "pk")
        processes = (
            m.ProcessAlias.objects.exclude(display="")
            .order_by()
            .values_list(Value("process"), "process_id", *fields)
        )
        participants = (
            m.ParticipantAlias.objects.exclude(display="")
            .order_by()
            .values_list(Value("participant"), "participant_id", *fields)
        )
        for kind, owner_id, language, display, name, pk in processes.union(participants, all=True):
            self.names[(kind, owner_id, language, display)] = (name, pk)

    def alias(self, kind, owner_id, language, display) -> LocalName | None:
        found = self.names.get((kind, owner_id, language, display))
        if found:
            return LocalName(found[0], language, language, "alias", found[1])
        return None

    def process_name(self, process, language=None) -> LocalName:
        language = language_code(language)
        if language != DEFAULT:
            found = self.alias("process", process.pk, language, NameDisplay.NAME)
            if found:
                return found
        return LocalName(process.name, DEFAULT, language)

    def process_short_name(self, process, language=None) -> LocalName:
        """The short name in the language; where the process has no other short name (the
        Budapest Process), its name in the language."""
        language = language_code(language)
        if language != DEFAULT:
            found = self.alias("process", process.pk, language, NameDisplay.SHORT)
            if found:
                return found
            if process.short_name == process.name:
                return self.process_name(process, language)
        return LocalName(process.short_name, DEFAULT, language)

    def participant_short_name(self, participant, language=None) -> LocalName:
        """An organization's acronym in the language ("OIM", "ACNUR"); where no source gives one,
        its own ("UNHCR"), unmarked: acronyms travel between languages. "" when it has none."""
        language = language_code(language)
        if language != DEFAULT:
            found = self.alias("participant", participant.pk, language, NameDisplay.SHORT)
            if found:
                return found
        return LocalName(participant.acronym or "", language, language)

    def participant_name(self, participant, language=None) -> LocalName:
        language = language_code(language)
        if language != DEFAULT:
            found = self.alias("participant", participant.pk, language, NameDisplay.NAME)
            if found:
                return found
            if participant.iso_code:
                name = territory_names(language).get(participant.iso_code)
                if name:
                    return LocalName(name, language, language, CLDR)
        return LocalName(participant.name, getattr(participant, "name_language", None) or DEFAULT, language)


def book() -> NameBook:
    """The names as of the registry's current version (read once per request at most)."""
    return versioned(("book",), NameBook, names_only=True)


def name_ranks(kind: str, language: str | None = None) -> dict[int, int]:
    """{id: position} of every process ("process": by short name; "process-name": by name) or
    participant ("participant": by name; "participant-acronym": by acronym) in name order in the
    language: computed once per registry version and language, so a list of any length is put in
    order without collation keys."""
    language = language_code(language)

    def build():
        names = book()
        if kind.startswith("participant"):
            fields = ("pk", "name", "iso_code", "name_language", "acronym")
            rows = m.Participant.objects.order_by().values(*fields)
            key = participant_acronym_sort_key if kind == "participant-acronym" else participant_sort_key
        else:
            rows = m.Process.objects.order_by().values("pk", "name", "short_name")
            key = process_full_name_sort_key if kind == "process-name" else process_sort_key
        records = [SimpleNamespace(**row) for row in rows]
        ordered = sorted(records, key=lambda record: key(record, language, names))
        return {record.pk: position for position, record in enumerate(ordered)}

    return versioned(("ranks", kind, language), build, names_only=True)


def reconciliation_index() -> m.ReconciliationIndex:
    """Every name of every process and participant, for the reconciliation service: kept, like the
    names' order, until a name changes."""
    return versioned(("reconciliation-index",), m.ReconciliationIndex, names_only=True)


CLOSE_ENOUGH = 80  # a search also finds the records this close to it (0-100: registry/name_matcher.py)


def close_slugs(text: str, *kinds: str) -> list[str]:
    """The slugs of the records of these kinds (process, state, organization) whose names the
    registry's one matcher finds certain or close (CLOSE_ENOUGH) for a search: a misspelling ("Philipines",
    "Budapest Proces") or the world's name of a state ("Burma")."""
    scored = reconciliation_index().reconcile(text.strip()[:200], types=kinds, limit=10)
    return [s.entity.slug for s in scored if s.score >= CLOSE_ENOUGH]


def name_resolver() -> m.NameResolver:
    """Every participant's names in the registry's one matcher, for recording accounts: kept, like
    the reconciliation index, until a name changes (2,000 names at 100 times the data: 0.7 s to
    build, not paid by each preview)."""
    return versioned(("name-resolver",), m.NameResolver, names_only=True)


# Sorting -----------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _root_collator():
    return pyuca.Collator()  # the Unicode Collation Algorithm's default table (DUCET)


def sort_key(text: str, language: str | None = None) -> tuple:
    return _sort_key(text, language_code(language))


def process_sort_key(process, language=None, names=None) -> tuple:
    """Processes sort by their short name in the language."""
    return sort_key((names or book()).process_short_name(process, language).text, language)


def process_full_name_sort_key(process, language=None, names=None) -> tuple:
    return sort_key((names or book()).process_name(process, language).text, language)


def participant_sort_key(participant, language=None, names=None) -> tuple:
    return sort_key((names or book()).participant_name(participant, language).text, language)


def participant_acronym_sort_key(participant, language=None, names=None) -> tuple:
    """Organizations sort by their acronym as the page shows it ("ACNUR" among the A in Spanish);
    those without one come after, by name."""
    names = names or book()
    acronym = names.participant_short_name(participant, language).text
    return (not acronym, sort_key(acronym, language), participant_sort_key(participant, language, names))


def sort_by_name(rows, key=participant_sort_key) -> list:
    """The rows sorted by name in the active language (one name book for all of them)."""
    language, names = language_code(), book()
    return sorted(rows, key=lambda row: key(row, language, names))


@lru_cache(maxsize=100_000)  # names repeat from request to request; pyuca is pure Python
def _sort_key(text: str, language: str) -> tuple:
    """Collation key in the language: accents and case second to the letters ("Côte d'Ivoire"
    between "Costa Rica" and "Croatia", "Söderköping" among the S); in Spanish "ñ" is a letter of
    its own after "n". A normalized tie-breaker keeps the order total."""
    collator = _root_collator()
    if language == "es":
        # Spanish tailoring: "ñ" after every "n…" and before "o": an "n" followed by a Han
        # character, whose implicit primary weight is above every Latin letter's.
        text_for_key = text.replace("ñ", "n\u4e00").replace("Ñ", "N\u4e00")
        return (collator.sort_key(text_for_key), normalize_name(text), text)
    return (collator.sort_key(text), normalize_name(text), text)


# The API -----------------------------------------------------------------------------------------

LANG_PARAMETER = "lang"


def lang_parameter_error(request) -> str | None:
    """The message for a ?lang= that is not one of the registry's languages, else None."""
    given = request.GET.get(LANG_PARAMETER)
    codes = [code for code, _name in settings.LANGUAGES]
    if given is None or given.lower() in codes:
        return None
    return translation.gettext("“%(value)s” is not one of the languages: %(codes)s.") % {
        "value": given,
        "codes": ", ".join(codes),
    }


def requested_language(request) -> str | None:
    """The language an API client asks names in: ?lang=, else its language cookie or
    Accept-Language (as Django reads them); None when it asks nothing (the API stays neutral)."""
    if request is None:
        return None
    given = request.GET.get(LANG_PARAMETER)
    if given is not None:
        return None if lang_parameter_error(request) else given.lower()
    if request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) or request.META.get("HTTP_ACCEPT_LANGUAGE"):
        return language_code(translation.get_language_from_request(request))
    return None


def _note_translations() -> dict[str, m.NoteTranslation]:
    return {row.english: row for row in m.NoteTranslation.objects.all()}


def local_note(text: str, language: str | None = None) -> LocalName:
    """A note the registry writes itself, in the active language where its translation is
    recorded for exactly this English text; else the English, marked as such. All the
    translations are read in one query, kept until a record outside the processes changes."""
    language = language_code(language)
    if not text or language == DEFAULT:
        return LocalName(text, DEFAULT, language)
    translation = versioned(("note-translations",), _note_translations, shared_only=True).get(text.strip())
    translated = translation.text(language) if translation else ""
    return LocalName(translated, language, language) if translated else LocalName(text, DEFAULT, language)
