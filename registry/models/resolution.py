"""Names as a document writes them ("Laos PDR", "the USA", "Alemania", "NZ", "UNHCR") resolved to
participants by the registry's own matching: names and aliases (case, accents, apostrophes and
a leading "the" ignored), acronyms, ISO codes and the CLDR names in French and Spanish. A name
that matches no record, or several, gets its closest candidates, ranked."""

from dataclasses import dataclass, field

from django.conf import settings
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy

from ..matching import normalize_name
from ..territories import territory_names
from .participants import Participant, ParticipantAlias

__all__ = ["Candidate", "NameResolver", "Resolution", "participant_names"]

CANDIDATES = 5  # at most this many, best first
CUTOFF = 0.6  # below this similarity a record is no candidate


def participant_names(participants: list[Participant]):
    """(participant id, name) for every name the registry knows the participants by: their own,
    their aliases (one query) and the CLDR names of the states and territories in the site's
    other languages."""
    for p in participants:
        yield p.pk, p.name
    # Read whole and kept by id: aliases are few, and an IN list of every participant's id (20,000
    # at 100 times the data) costs more than the rows.
    ids = {p.pk for p in participants}
    for participant_id, name in ParticipantAlias.objects.order_by().values_list("participant_id", "name"):
        if participant_id in ids:
            yield participant_id, name
    by_iso = {p.iso_code: p.pk for p in participants if p.iso_code}
    for language, _name in settings.LANGUAGES:
        if language == settings.LANGUAGE_CODE:
            continue
        for code, name in territory_names(language).items():
            if code in by_iso:
                yield by_iso[code], name


@dataclass(frozen=True)
class Candidate:
    participant: Participant
    score: float  # 1.0 for an exact match of several records; else the similarity of the names
    matched: str  # the name or alias that matched


@dataclass(frozen=True)
class Resolution:
    name: str  # as written
    participant: Participant | None = None  # when exactly one record matches
    candidates: list[Candidate] = field(default_factory=list)  # when none or several match

    @property
    def resolved(self) -> bool:
        return self.participant is not None

    @property
    def ambiguous(self) -> bool:
        return self.participant is None and any(c.score == 1.0 for c in self.candidates)


class NameResolver:
    """Every participant's names read once (two queries), then any number of names resolved
    without a query each."""

    def __init__(self, queryset=None):
        queryset = Participant.objects.all() if queryset is None else queryset
        participants = list(queryset)
        self.by_pk = {p.pk: p for p in participants}
        self.keys: dict[str, set[int]] = {}  # normalized name or alias -> participant ids
        self.shown: dict[str, str] = {}  # normalized name -> a spelling of it
        self.codes: dict[str, int] = {}  # ISO code or acronym (upper case) -> participant id
        for p in participants:
            for code in (p.iso_code, p.acronym):
                if code:
                    self.codes.setdefault(code.upper(), p.pk)
        for participant_id, name in participant_names(participants):
            self._add(name, participant_id)
        self.choices = list(self.keys)  # compared in C (rapidfuzz): 2,000 unresolved names in ~0.1 s

    def _add(self, name: str, participant_id: int):
        key = normalize_name(name)
        if key:
            self.keys.setdefault(key, set()).add(participant_id)
            self.shown.setdefault(key, name)

    def resolve(self, name: str) -> Resolution:
        text = " ".join(str(name).split())
        key = normalize_name(text)
        found = set(self.keys.get(key, ()))
        if not found and text.upper() in self.codes:
            found = {self.codes[text.upper()]}
        if len(found) == 1:
            return Resolution(text, self.by_pk[found.pop()])
        if found:
            exact = [Candidate(self.by_pk[pk], 1.0, self.shown[key]) for pk in found]
            return Resolution(text, candidates=sorted(exact, key=lambda c: c.participant.name))
        return Resolution(text, candidates=self._closest(key))

    def _closest(self, key: str) -> list[Candidate]:
        best: dict[int, Candidate] = {}
        found = fuzzy.extract(
            key, self.choices, scorer=fuzz.ratio, limit=CANDIDATES * 3, score_cutoff=CUTOFF * 100
        )
        for close, similarity, _position in found:
            score = round(similarity / 100, 3)
            for pk in self.keys[close]:
                if pk not in best or best[pk].score < score:
                    best[pk] = Candidate(self.by_pk[pk], score, self.shown[close])
        ranked = sorted(best.values(), key=lambda c: (-c.score, c.participant.name))
        return ranked[:CANDIDATES]
