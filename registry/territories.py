"""Names of states and territories in every language, from the Unicode CLDR (through Babel): the
names operating systems and browsers show. Locale data, not facts about an RCP, so it is read
from the package, never stored."""

import re
from functools import lru_cache

from babel import Locale
from django.conf import settings

from .matching import normalize_name


@lru_cache(maxsize=8)
def territory_names(language: str) -> dict[str, str]:
    return dict(Locale.parse(language).territories)


@lru_cache(maxsize=1)
def _territory_keys() -> list[tuple[str, str]]:
    """(normalized name, ISO code) of every CLDR territory name in the other languages."""
    return [
        (normalize_name(name), code)
        for language, _name in settings.LANGUAGES
        if language != settings.LANGUAGE_CODE
        for code, name in territory_names(language).items()
        if len(code) == 2 and code.isalpha()  # not the numeric regions ("419": Latin America)
    ]


def territory_codes_named(key: str) -> list[str]:
    """ISO codes whose French or Spanish name has a word beginning with the normalized text (for
    search): "Alemania", "mexique", "bissau"; "Laos" is not Palau ("Palaos")."""
    if len(key) < 3:
        return []
    starts_a_word = re.compile(rf"(?:^|[\s'(\-]){re.escape(key)}")
    return sorted({code for name, code in _territory_keys() if starts_a_word.search(name)})
