from datetime import date

import pytest
from django.utils import translation

from registry.choices import DatePrecision
from registry.dates import (
    PartialDateError,
    format_partial_date,
    format_period,
    iso_partial_date,
    normalize,
    parse_as_of,
    parse_partial_date,
)


@pytest.mark.parametrize(
    ("text", "end", "expected"),
    [
        ("2005", False, (date(2005, 1, 1), DatePrecision.YEAR)),
        ("2005", True, (date(2005, 12, 31), DatePrecision.YEAR)),
        ("2009-04", False, (date(2009, 4, 1), DatePrecision.MONTH)),
        ("2008-02", True, (date(2008, 2, 29), DatePrecision.MONTH)),
        ("2002-02-26", False, (date(2002, 2, 26), DatePrecision.DAY)),
        (2003, False, (date(2003, 1, 1), DatePrecision.YEAR)),
    ],
)
def test_parse_partial_date(text, end, expected):
    assert parse_partial_date(text, end=end) == expected


@pytest.mark.parametrize(
    "text", ["", "April 2009", "2009-4", "2009-13", "2009-02-30", "2009-00", "09-04-2009"]
)
def test_parse_partial_date_rejects_bad_input_with_one_message(text):
    with pytest.raises(PartialDateError) as raised:
        parse_partial_date(text)
    assert str(raised.value) == "Enter a year (2009), a month (2009-04) or a day (2009-04-17)."
    assert isinstance(raised.value, ValueError)


def test_the_message_is_in_the_active_language():
    with translation.override("fr"):
        message = str(PartialDateError("x"))
    assert message != str(PartialDateError("x")) and "2009-04" in message


def test_as_of_is_the_last_day_of_its_precision():
    assert parse_as_of("2003") == date(2003, 12, 31)
    assert parse_as_of("2008-02") == date(2008, 2, 29)
    assert parse_as_of(" ") is None and parse_as_of(None) is None


@pytest.mark.parametrize(
    ("value", "precision", "text"),
    [
        (date(2005, 1, 1), "year", "2005"),
        (date(2009, 4, 1), "month", "2009-04"),
        (date(2002, 2, 26), "day", "2002-02-26"),
    ],
)
def test_iso_partial_date_reads_back(value, precision, text):
    assert iso_partial_date(value, precision) == text
    assert parse_partial_date(text) == (value, precision)


def test_normalize_moves_to_the_edges_of_the_precision():
    assert normalize(date(2009, 4, 17), DatePrecision.MONTH) == date(2009, 4, 1)
    assert normalize(date(2009, 4, 17), DatePrecision.MONTH, end=True) == date(2009, 4, 30)
    assert normalize(date(2009, 4, 17), DatePrecision.YEAR, end=True) == date(2009, 12, 31)
    assert normalize(None, DatePrecision.YEAR) is None


def test_human_dates_keep_their_precision():
    assert format_partial_date(date(2005, 1, 1), DatePrecision.YEAR) == "2005"
    assert format_partial_date(date(2009, 3, 1), DatePrecision.MONTH) == "March 2009"
    assert format_partial_date(date(2002, 2, 26), DatePrecision.DAY) == "26 February 2002"


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        ((date(2002, 2, 26), "day", date(2002, 2, 28), "day"), "26\u201328 February 2002"),
        ((date(2000, 1, 1), "year", date(2001, 12, 31), "year"), "2000\u20132001"),
        ((date(2003, 1, 1), "year", date(2003, 12, 31), "year"), "2003"),
        ((date(2009, 2, 1), "month", date(2009, 2, 28), "month"), "February 2009"),
        ((date(2005, 1, 1), "year", None, ""), "since 2005"),
        ((None, "", date(2003, 12, 31), "year"), "until 2003"),
        ((None, "", None, ""), ""),
    ],
)
def test_periods(period, expected):
    assert format_period(*period) == expected
