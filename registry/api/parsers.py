"""The API's JSON parser: documents nested deeper than a record can be, or holding a NUL character
(which PostgreSQL cannot store in text), are refused with a 400 and a message; the standard parser
lets Python's recursion limit, or the database, end the request in a 500."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

from ..middleware import NUL_MESSAGE

# A record with its citations is 4 levels deep; 32 leaves room and refuses abuse early.
MAX_DEPTH = 32


def inspect(data) -> tuple[int, bool]:
    """How deeply lists and objects nest, and whether any text (key or value) holds a NUL
    (iteratively: the data may be deep)."""
    deepest, has_nul, pending = 0, False, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, str):
            has_nul = has_nul or "\x00" in value
        elif isinstance(value, dict | list):
            deepest = max(deepest, depth)
            if isinstance(value, dict):
                has_nul = has_nul or any("\x00" in key for key in value)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children)
    return deepest, has_nul


def too_deep() -> ParseError:
    return ParseError(_("JSON nested more than %(depth)d levels deep: no record is.") % {"depth": MAX_DEPTH})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None
        depth, has_nul = inspect(data)
        if depth > MAX_DEPTH:
            raise too_deep()
        if has_nul:
            raise ParseError(str(NUL_MESSAGE))
        return data
