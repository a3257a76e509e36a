"""How the world writes the names of states and territories — exonyms, short, former and informal
names ("Ivory Coast", "Burma", "South Korea", "Great Britain", "the Vatican", "DR Congo", "UAE")
— from country_converter's table of name patterns (one regular expression per state or territory,
made and kept for exactly this). The table is read as a file: importing the package would import
pandas, which the registry does not need.

A written name is a state's when its pattern alone matches it: "Korea" is the Republic of Korea
(the pattern of the DPRK wants "north", "dem." or "DPR"), "Congo" the Republic of the Congo, and a
phrase that matches two patterns ("Spain and Portugal") or none is nobody's."""

import csv
import re
from functools import lru_cache
from importlib.util import find_spec
from pathlib import Path

__all__ = ["iso_codes_named", "world_name_patterns"]

MAX_LENGTH = 80  # a longer text is a sentence, not a name
# What the table lacks that documents write (each with a test in tests/models/test_world_names.py).
SUPPLEMENT = {"SA": r"^k\.?s\.?a\.?$"}


@lru_cache(maxsize=1)
def world_name_patterns() -> tuple[tuple[str, re.Pattern], ...]:
    """(ISO 3166-1 alpha-2 code, compiled pattern) of every state and territory of the table."""
    package = Path(find_spec("country_converter").submodule_search_locations[0])
    with open(package / "country_data.tsv", encoding="utf-8", newline="") as table:
        rows = list(csv.DictReader(table, delimiter="\t"))
    patterns = []
    for row in rows:
        # The column holds a code ("AT"), or for one row a pattern of codes ("^GB$|^UK$").
        code = next(iter(re.findall(r"[A-Z]{2}", row.get("ISO2") or "")), None)
        if code and row.get("regex"):
            patterns.append((code, re.compile(row["regex"], re.IGNORECASE)))
    patterns += [(code, re.compile(pattern, re.IGNORECASE)) for code, pattern in SUPPLEMENT.items()]
    return tuple(patterns)


# A text is cut at these before its parts are matched: "Trinidad and Tobago" is one state whose
# pattern matches both parts; "NZ and Australia" is not Australia, since "NZ" names no state here.
PARTS = re.compile(r"\s*(?:[,;&/]|\band\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Words a state's name may carry besides its own ("Korea, Republic of", "United States of America",
# "Turks and Caicos Islands"): a part of these alone is an inverted tail, not a name, and they do
# not count towards a name's length.
_QUALIFIERS_TEXT = """
the of republic former yugoslav islamic democratic people's federal federated state states
kingdom plurinational bolivarian united island islands sar
"""
QUALIFIERS = frozenset(_QUALIFIERS_TEXT.split())
MAX_WORDS = 2  # words of a name besides its qualifiers: "Swedish Migration Board" is not Sweden


@lru_cache(maxsize=2**14)
def iso_codes_named(name: str) -> frozenset[str]:
    """The ISO codes of the states and territories the written name names: one when it is the
    name of one ("Burma"), several when its parts name several ("Spain and Portugal"), none when
    it, or one of its parts, names no state ("NZ and Australia", "Immigration and Labour") or is
    longer than a name ("Swedish Migration Board")."""
    text = " ".join(str(name).split())
    if not text or len(text) > MAX_LENGTH:
        return frozenset()
    codes = set()
    for part in filter(None, PARTS.split(text)):
        words = [word for word in re.split(r"[\s()\-.]+", part.casefold()) if word and word not in QUALIFIERS]
        if not words:
            continue
        if (
            len([word for word in words if len(word) > 2]) > MAX_WORDS
        ):  # "Cote d Ivoire" is two  # a phrase about a state ("Afghan refugees in Iran"), not its name
            return frozenset()
        named = {code for code, pattern in world_name_patterns() if pattern.search(part)}
        if not named:
            return frozenset()
        codes |= named
    return frozenset(codes)
