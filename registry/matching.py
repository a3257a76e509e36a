"""Name normalization and ISO 3166-1 validation shared by models, the seed loader and search."""

import re
import unicodedata
from functools import lru_cache

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from .iso3166 import ISO_3166_1_ALPHA_2


@lru_cache(maxsize=2**17)  # a pure function, called for every name when an index is rebuilt
def normalize_name(name: str) -> str:
    """The key names are matched on: case, accents, apostrophe styles, spacing and a leading
    "the" do not matter ("Côte d’ Ivoire" == "cote d'ivoire", "the Philippines" == "Philippines")."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(ch for ch in text if not unicodedata.combining(ch)).casefold()
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    text = re.sub(r"\s*'\s*", "'", text)
    text = re.sub(r"\s+", " ", text).strip()
    return re.sub(r"^the ", "", text)


def validate_iso_code(value: str):
    if value not in ISO_3166_1_ALPHA_2:
        raise ValidationError(
            _("%(code)s is not an ISO 3166-1 alpha-2 code."), params={"code": value}, code="invalid_iso"
        )
