"""Partial dates: "2005", "2009-04", "2002-02-26", stored as a date plus its precision.

A period's start is stored as the first day of its precision and its end as the last day, so that
"valid on D" is the plain comparison start <= D <= end in SQL. "As of 2003" is the last day of 2003.

This module is the one parser and formatter of partial dates, with the one message for bad input;
the admin's form field, the API's serializer field, the spreadsheet column, the ?as_of= of pages
and API and the commands all read dates through it.
"""

import calendar
import re
from datetime import date
from functools import lru_cache

from django.utils.formats import date_format
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from .choices import DatePrecision

_PARTIAL = re.compile(r"^(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2}))?)?$")

INVALID_PARTIAL_DATE = gettext_lazy("Enter a year (2009), a month (2009-04) or a day (2009-04-17).")


class PartialDateError(ValueError):
    """Text that is not a partial date; str() is the one message, in the active language."""

    def __init__(self, text):
        self.text = text
        super().__init__(text)

    def __str__(self):
        return str(INVALID_PARTIAL_DATE)


def parse_partial_date(text: str, *, end: bool = False) -> tuple[date, str]:
    """Parse "YYYY", "YYYY-MM" or "YYYY-MM-DD"; an end date takes the last day of its precision.
    Raises PartialDateError for anything else, an impossible day ("2009-02-30") included."""
    match = _PARTIAL.match(str(text).strip())
    if not match:
        raise PartialDateError(text)
    year, month, day = (None if part is None else int(part) for part in match.groups())
    try:
        return _partial_date(year, month, day, end)
    except ValueError:  # month 13, 30 February, year 0
        raise PartialDateError(text) from None


def _partial_date(year: int, month: int | None, day: int | None, end: bool) -> tuple[date, str]:
    if day is not None:
        return date(year, month, day), DatePrecision.DAY
    if month is not None:
        last = calendar.monthrange(year, month)[1]
        return date(year, month, last if end else 1), DatePrecision.MONTH
    return date(year, 12, 31) if end else date(year, 1, 1), DatePrecision.YEAR


def parse_as_of(text: str | None) -> date | None:
    """The day of an "as of" parameter: None when empty; a year or a month means its last day."""
    text = str(text or "").strip()
    return parse_partial_date(text, end=True)[0] if text else None


def normalize(value: date | None, precision: str, *, end: bool = False) -> date | None:
    """Move a date to the first (start) or last (end) day of its precision."""
    if value is None:
        return None
    if precision == DatePrecision.YEAR:
        return date(value.year, 12, 31) if end else date(value.year, 1, 1)
    if precision == DatePrecision.MONTH:
        last = calendar.monthrange(value.year, value.month)[1]
        return date(value.year, value.month, last if end else 1)
    return value


def format_partial_date(value: date | None, precision: str) -> str:
    """ "2005", "March 2009", "26 February 2002" (in the active language)."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return str(value.year)
    if precision == DatePrecision.MONTH:
        return month_label(value)
    return day_label(value)


def iso_partial_date(value: date | None, precision: str) -> str:
    """The partial date as it is typed: "2005", "2009-04", "2002-02-26" ("" for none)."""
    if value is None:
        return ""
    if precision == DatePrecision.YEAR:
        return f"{value:%Y}"
    if precision == DatePrecision.MONTH:
        return f"{value:%Y-%m}"
    return f"{value:%Y-%m-%d}"


# English keeps the day-month-year order of IOM's documents ("30 April 2009"); French and Spanish
# use their own formats ("30 avril 2009", "30 de abril de 2009").
def day_label(value: date) -> str:
    language = get_language()
    return _formatted(value, "j F Y" if language in (None, "en") else "DATE_FORMAT", language)


def month_label(value: date) -> str:
    language = get_language()
    return _formatted(value, "F Y" if language in (None, "en") else "YEAR_MONTH_FORMAT", language)


@lru_cache(maxsize=8192)  # the same few dates, written on every citation of a page
def _formatted(value: date, format_name: str, language: str | None) -> str:
    return date_format(value, format_name)  # in the active language, which is `language`


def format_period(start, start_precision, end, end_precision) -> str:
    """ "26-28 February 2002", "2000-2001", "since 2005", "until 2003", "" (unknown)."""
    if start and end:
        if start == end or (
            start_precision == end_precision == DatePrecision.YEAR and start.year == end.year
        ):
            return format_partial_date(start, start_precision)
        if start_precision == end_precision == DatePrecision.DAY and (start.year, start.month) == (
            end.year,
            end.month,
        ):
            return f"{start.day}\u2013{format_partial_date(end, end_precision)}"
        if (
            start_precision == end_precision == DatePrecision.MONTH
            and start.year == end.year
            and start.month == end.month
        ):
            return format_partial_date(start, start_precision)
        return f"{format_partial_date(start, start_precision)}\u2013{format_partial_date(end, end_precision)}"
    if start:
        return _("since %(date)s") % {"date": format_partial_date(start, start_precision)}
    if end:
        return _("until %(date)s") % {"date": format_partial_date(end, end_precision)}
    return ""
