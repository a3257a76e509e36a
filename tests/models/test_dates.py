from datetime import date

import pytest

from registry.choices import DatePrecision
from registry.dates import format_partial_date, format_period, normalize, parse_partial_date


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


@pytest.mark.parametrize("text", ["", "April 2009", "2009-4", "2009-13", "09-04-2009"])
def test_parse_partial_date_rejects_bad_input(text):
    with pytest.raises(ValueError):
        parse_partial_date(text)


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
