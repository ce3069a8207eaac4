import contextlib
from datetime import date, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from ingest.dates import format_vi_date, parse_date, parse_datetime
from ingest.errors import DateParseError


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("25/08/2023", date(2023, 8, 25)),
        ("5/8/2023", date(2023, 8, 5)),
        ("2023-08-25", date(2023, 8, 25)),
        ("2023-08-25T10:00:00", date(2023, 8, 25)),
        (datetime(2023, 8, 25, 7, 30), date(2023, 8, 25)),
        (date(2023, 8, 25), date(2023, 8, 25)),
        (45163, date(2023, 8, 25)),
        (45163.5, date(2023, 8, 25)),
        ("45163", date(2023, 8, 25)),
    ],
)
def test_parse_date(value: object, expected: date) -> None:
    assert parse_date(value) == expected


def test_parse_datetime_formats() -> None:
    assert parse_datetime("25/08/2023 08:05") == datetime(2023, 8, 25, 8, 5)
    assert parse_datetime("2023-08-25 08:05:09") == datetime(2023, 8, 25, 8, 5, 9)


@pytest.mark.parametrize("bad", ["31/02/2023", "2023/13/01", "hôm qua", "", None, True])
def test_parse_date_rejects(bad: object) -> None:
    with pytest.raises(DateParseError):
        parse_date(bad)


@given(st.dates(min_value=date(1900, 3, 1), max_value=date(2100, 12, 31)))
def test_date_round_trips(d: date) -> None:
    assert parse_date(format_vi_date(d)) == d
    assert parse_date(f"{d.day}/{d.month}/{d.year}") == d
    assert parse_date(d.isoformat()) == d
    serial = (d - date(1899, 12, 30)).days
    assert parse_date(serial) == d


@given(st.text(max_size=30))
def test_only_own_error_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(DateParseError):
        parse_date(text)
