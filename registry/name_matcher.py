"""The one way the registry recognises a written name: account recording (models/resolution.py),
reconciliation (models/reconciliation.py), and through them list splitting and page search.

How it decides, on one scale of 0 to 100:

1. **100, a name of the record**: the text is, once normalized (case, accents, apostrophes,
   spacing, a leading "the": matching.normalize_name), one of the names the registry holds for it
   — its name, short name, aliases, CLDR names in English, French and Spanish — or one of its
   codes (ISO 3166-1 alpha-2 or alpha-3, acronym, slug). Several records with that name: all at
   100, none certain.
2. **100, a name the world gives the state**: country_converter's pattern of exactly one state or
   territory matches the text ("Ivory Coast", "Burma", "South Korea", "DR Congo", "UAE": see
   world_names.py), and the registry holds that state. A text two patterns match is neither's.
3. **Below 100, close to a name**: the names are compared with the words every name of this field
   shares set aside ("process", "dialogue", "conference", "republic", "of", …: GENERIC_WORDS), so
   that "Immigration and Labour" is not close to "Bali Process" through "process". The score is
   rapidfuzz's WRatio of what remains, times 0.95 (at most 95: only a name is certain), and a
   typo is tolerated in proportion to the name's length: a name of n letters may differ by
   about n/4 edits (one for "Chad", two for "Philipines").
   Names of fewer than 4 letters match exactly only (as fuzzy choices they would be found in
   every longer name). A record is a candidate from 60; a state close to a name the world
   gives another state scores at most 70 ("Congo", the Republic's, is not the DR Congo's).

The index is built once per registry version by its owner and answers without a query."""

import re

import pycountry
from rapidfuzz import fuzz
from rapidfuzz import process as fuzzy
from rapidfuzz.distance import OSA

from .matching import normalize_name
from .world_names import iso_codes_named

__all__ = ["EXACT", "CUTOFF", "CEILING", "GENERIC_WORDS", "NameMatcher", "Match"]

EXACT = 100.0
CEILING = 95.0  # a name that is not exactly one of the record's scores at most this
CUTOFF = 60.0  # below this similarity a record is no candidate
MIN_FUZZY_LENGTH = 4
# Above this many names, a cheap similarity (rapidfuzz's ratio) keeps the SHORTLIST closest before
# the weighted one (WRatio, 20 times slower) ranks them: 100x data, 25,000 names, 1 ms + 1 ms.
SHORTLIST_FROM, SHORTLIST, SHORTLIST_CUTOFF = 3000, 200, 40
OTHER_STATE = 70.0  # at most, a state close to a name the world gives another state
# Words the names of this field share: alone they say nothing of which record a name is.
_GENERIC_WORDS_TEXT = """
process processes dialogue conference conferences consultation consultations consultative forum
regional ministerial meeting on of the and for in la le les de des du el los las y et republic
state states democratic people's peoples federal united kingdom islands union organization
organisation international migration migrants
"""
GENERIC_WORDS = frozenset(_GENERIC_WORDS_TEXT.split())


def significant(key: str) -> str:
    """A normalized name without its generic words (the name itself when nothing else is left)."""
    words = [word for word in re.split(r"[\s\-/,.()]+", key) if word]
    kept = [word for word in words if word not in GENERIC_WORDS]
    return " ".join(kept) if kept else key


def typos_tolerated(length: int) -> int:
    return max(1, length // 4)


class Match:
    """One record a text may name: its id in the index's owner, the score, the name it matched."""

    __slots__ = ("record", "score", "matched")

    def __init__(self, record, score: float, matched: str):
        self.record, self.score, self.matched = record, score, matched

    def __repr__(self):
        return f"Match({self.record!r}, {self.score}, {self.matched!r})"


class NameMatcher:
    """Names, codes and ISO codes of records (any hashable ids), then any number of texts matched."""

    def __init__(self):
        self.keys: dict[str, set] = {}  # normalized name -> records
        self.shown: dict[str, str] = {}  # normalized name -> a spelling of it
        self.codes: dict[str, set] = {}  # upper-case code -> records
        self.isos: dict[str, set] = {}  # ISO 3166-1 alpha-2 -> records (states and territories)
        self.iso_of: dict[object, str] = {}
        self.names_of: dict[object, list[str]] = {}
        self._fuzzy: list[str] | None = None

    # Building ------------------------------------------------------------------------------------

    def add_name(self, name: str, record):
        key = normalize_name(name or "")
        if key:
            self.keys.setdefault(key, set()).add(record)
            self.shown.setdefault(key, name)
            names = self.names_of.setdefault(record, [])
            if key not in names:
                names.append(key)
            self._fuzzy = None

    def add_code(self, code: str, record):
        if code:
            self.codes.setdefault(code.upper(), set()).add(record)

    def add_iso(self, iso_code: str, record):
        """A state's or territory's ISO code: its alpha-2 and alpha-3 codes name it, and so do the
        world's names of it."""
        if iso_code:
            self.isos.setdefault(iso_code.upper(), set()).add(record)
            self.iso_of[record] = iso_code.upper()
            self.add_code(iso_code, record)
            alpha_3 = _alpha_3(iso_code.upper())
            if alpha_3:
                self.add_code(alpha_3, record)

    def _fuzzy_index(self) -> list[str]:
        """The names compared when none is exact (built once, on first use: `freeze`)."""
        if self._fuzzy is None:
            self._fuzzy = [key for key in self.keys if len(key) >= MIN_FUZZY_LENGTH]
            self._significant = [significant(key) for key in self._fuzzy]
            self._positions: dict[frozenset, list[int]] = {}
        return self._fuzzy

    def freeze(self):
        """Build the comparison lists now (the owner's build, not the first query, pays for it)."""
        self._fuzzy_index()
        return self

    def positions_of(self, names: frozenset[str]) -> list[int]:
        """The positions of these names among those compared (kept per set: the entity types')."""
        self._fuzzy_index()
        if names not in self._positions:
            self._positions[names] = [p for p, key in enumerate(self._fuzzy) if key in names]
        return self._positions[names]

    # Matching ------------------------------------------------------------------------------------

    def exactly(self, text: str) -> tuple[set, str]:
        """(The records the text is a name or code of, the name matched)."""
        text = " ".join(str(text).split())
        key = normalize_name(text)
        found = set(self.keys.get(key, ())) | self.codes.get(text.upper(), set())
        return found, self.shown.get(key, text)

    def by_world_name(self, text: str) -> set:
        """The records of the one state whose name, as the world writes it, the text is."""
        codes = iso_codes_named(text)
        if len(codes) != 1:
            return set()
        return set(self.isos.get(next(iter(codes)), ()))

    def named(self, text: str) -> tuple[set, str]:
        """The records the text names for certain (score 100): by a name or code of theirs, else
        by the world's name of a state."""
        found, matched = self.exactly(text)
        if found:
            return found, matched
        return self.by_world_name(text), " ".join(str(text).split())

    def closest(self, text: str, allowed: frozenset[str] | None = None, limit: int = 20) -> list[Match]:
        """Records whose names are close to the text, best first (scores below 100). `allowed`: the
        names to compare with (all when None)."""
        key = normalize_name(str(text))
        if len(key) < MIN_FUZZY_LENGTH:
            return []
        names = self._fuzzy_index()
        positions = range(len(names)) if allowed is None else self.positions_of(allowed)
        wanted = significant(key)
        world = iso_codes_named(text) if len(iso_codes_named(text)) == 1 else frozenset()
        if len(positions) > SHORTLIST_FROM:  # many names: a cheap similarity first (C, ~1 ms)
            shortlist = fuzzy.extract(
                wanted,
                [self._significant[p] for p in positions] if allowed is not None else self._significant,
                scorer=fuzz.ratio,
                score_cutoff=SHORTLIST_CUTOFF,
                limit=SHORTLIST,
            )
            positions = [positions[i] for _name, _score, i in shortlist]
        choices = {p: self._significant[p] for p in positions}
        best: dict[object, Match] = {}
        for _choice, similarity, position in fuzzy.extract(
            wanted, choices, scorer=fuzz.WRatio, score_cutoff=CUTOFF, limit=max(limit * 4, 20)
        ):
            name = names[position]
            if not self._close_enough(wanted, self._significant[position], key, name):
                continue
            score = round(min(similarity * CEILING / 100, CEILING), 1)
            for record in self.keys[name]:
                if world and self.iso_of.get(record, next(iter(world))) not in world:
                    score = min(score, OTHER_STATE)  # "Congo" is the Republic, not the DR Congo
                if record not in best or best[record].score < score:
                    best[record] = Match(record, score, self.shown[name])
        return sorted(best.values(), key=lambda match: -match.score)[:limit]

    @staticmethod
    def _close_enough(wanted: str, choice: str, key: str, name: str) -> bool:
        """Every word the text says, generic words aside, is a word of the name, or one misspelt by
        about n/4 edits at most (a transposition is one): "Bosnia" for "Bosnia and Herzegovina",
        "Phillipines" for "Philippines", "Chda" for "Chad" — but not "Immigration and Labour"
        for the International Labour Organization, which says nothing of immigration."""
        if OSA.distance(wanted, choice) <= typos_tolerated(min(len(wanted), len(choice))):
            return True
        words = choice.split()
        return all(
            any(OSA.distance(word, other) <= typos_tolerated(len(word)) for other in words)
            for word in wanted.split()
        )


def _alpha_3(alpha_2: str) -> str:
    country = pycountry.countries.get(alpha_2=alpha_2)
    return country.alpha_3 if country else ""
