"""The API's JSON parser: documents nested deeper than a record can be are refused with a 400
and a message (the standard parser lets Python's recursion limit end the request in a 500)."""

from django.utils.translation import gettext as _
from rest_framework import parsers
from rest_framework.exceptions import ParseError

# A record with its citations is 4 levels deep; 32 leaves room and refuses abuse early.
MAX_DEPTH = 32


def depth_of(data) -> int:
    """How deeply lists and objects nest (iteratively: the data may be deep)."""
    deepest, pending = 0, [(data, 1)]
    while pending:
        value, depth = pending.pop()
        if isinstance(value, dict | list):
            deepest = max(deepest, depth)
            children = value.values() if isinstance(value, dict) else value
            pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))
    return deepest


def too_deep() -> ParseError:
    return ParseError(_("JSON nested more than %(depth)d levels deep: no record is.") % {"depth": MAX_DEPTH})


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            data = super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise too_deep() from None
        if depth_of(data) > MAX_DEPTH:
            raise too_deep()
        return data
