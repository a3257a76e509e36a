"""Names as a document writes them ("Laos PDR", "the USA", "Alemania", "NZ", "UNHCR", "Burma")
resolved to participants by the registry's one matcher (registry/name_matcher.py): names and
aliases (case, accents, apostrophes and a leading "the" ignored), acronyms, ISO codes, the CLDR
names in French and Spanish and the world's names of states. A name that matches no record, or
several, gets its closest candidates, ranked (0-100)."""

from dataclasses import dataclass, field

from django.conf import settings

from ..name_matcher import EXACT, NameMatcher
from ..territories import territory_names
from .participants import Participant, ParticipantAlias

__all__ = ["Candidate", "NameResolver", "Resolution", "participant_names"]

CANDIDATES = 5  # at most this many, best first


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
    score: float  # 0-100 (registry/name_matcher.py): 100 for a name of several records
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
        return self.participant is None and any(c.score == EXACT for c in self.candidates)


class NameResolver:
    """Every participant's names read once (two queries) into the registry's one matcher
    (registry/name_matcher.py), then any number of names resolved without a query each."""

    def __init__(self, queryset=None):
        queryset = Participant.objects.all() if queryset is None else queryset
        participants = list(queryset)
        self.by_pk = {p.pk: p for p in participants}
        self.matcher = NameMatcher()
        for p in participants:
            self.matcher.add_code(p.acronym, p.pk)
            self.matcher.add_iso(p.iso_code, p.pk)
        for participant_id, name in participant_names(participants):
            self.matcher.add_name(name, participant_id)
        self.matcher.freeze()

    def resolve(self, name: str) -> Resolution:
        text = " ".join(str(name).split())
        found, matched = self.matcher.named(text)
        if len(found) == 1:
            return Resolution(text, self.by_pk[found.pop()])
        if found:
            exact = [Candidate(self.by_pk[pk], EXACT, matched) for pk in found]
            return Resolution(text, candidates=sorted(exact, key=lambda c: c.participant.name))
        close = self.matcher.closest(text, limit=CANDIDATES)
        candidates = [Candidate(self.by_pk[match.record], match.score, match.matched) for match in close]
        return Resolution(text, candidates=sorted(candidates, key=lambda c: (-c.score, c.participant.name)))
