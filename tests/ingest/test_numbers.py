import contextlib
from decimal import Decimal

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from ingest.errors import NumberParseError
from ingest.numbers import format_vi, parse_count, parse_decimal, parse_number


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("58.053", Decimal(58053)),
        ("58,053", Decimal(58053)),
        ("91,33", Decimal("91.33")),
        ("91,33%", Decimal("91.33")),
        ("590.161,540", Decimal("590161.540")),
        ("590.161,540 triệu đồng", Decimal("590161.540")),
        ("212.901,285", Decimal("212901.285")),
        ("1,234.5", Decimal("1234.5")),
        ("1.234.567", Decimal(1234567)),
        ("1,234,567", Decimal(1234567)),
        ("75.384 hồ sơ", Decimal(75384)),
        ("36%", Decimal(36)),
        ("0,500", Decimal("0.5")),
        ("1234.567", Decimal("1234.567")),
        ("-12", Decimal(-12)),
        (" 600 ", Decimal(600)),
        (58053, Decimal(58053)),
        (91.33, Decimal("91.33")),
        (Decimal("1.5"), Decimal("1.5")),
    ],
)
def test_parse_number(text: object, expected: Decimal) -> None:
    assert parse_number(text) == expected


@pytest.mark.parametrize(
    "bad", ["", "abc", "1.23.4", "12,34.5,6", "khoảng 12", None, True, float("nan"), "1..2"]
)
def test_parse_number_rejects(bad: object) -> None:
    with pytest.raises(NumberParseError):
        parse_number(bad)


def test_seed_figures() -> None:
    assert parse_count("58.053") == 58053
    assert parse_count("56.863") == 56863
    assert parse_count("75.416") == 75416
    assert parse_count(548.0) == 548
    assert parse_decimal("590.161,540") == Decimal("590161.540")
    assert parse_decimal("212.901,285 triệu đồng") == Decimal("212901.285")


def test_parse_count_rejects_negative_and_fractions() -> None:
    with pytest.raises(NumberParseError, match="negative"):
        parse_count("-3")
    with pytest.raises(NumberParseError, match="whole"):
        parse_count("12,5")
    assert issubclass(NumberParseError, ValueError)


@given(st.integers(min_value=0, max_value=10**15))
def test_count_round_trip_vietnamese(n: int) -> None:
    assert parse_count(format_vi(n)) == n
    assert parse_count(f"{format_vi(n)} hồ sơ") == n


@given(st.integers(min_value=-(10**12), max_value=10**12), st.integers(0, 999))
def test_money_round_trip_vietnamese(units: int, thousandths: int) -> None:
    value = Decimal(units) + (Decimal(thousandths) / 1000 if units >= 0 else -Decimal(thousandths) / 1000)
    text = format_vi(value, places=3)
    # documented ambiguity: "1,234" (one separator + 3 digits) is read as 1234
    assume(abs(value) >= 1000 or abs(value) < 1)
    assert parse_decimal(text) == value
    assert parse_decimal(text + " triệu đồng") == value


@given(st.integers(min_value=0, max_value=10**12))
def test_english_grouping_round_trip(n: int) -> None:
    assert parse_count(f"{n:,}") == n


@given(st.text(max_size=30))
def test_only_own_error_on_arbitrary_text(text: str) -> None:
    with contextlib.suppress(NumberParseError):
        parse_number(text)


def test_column_convention_settles_the_ambiguous_amount() -> None:
    from ingest.numbers import infer_decimal_mark, parse_decimal

    column = ["100.000,000", "590.161,540", "900,000"]
    mark = infer_decimal_mark(column)
    assert mark == ","
    assert [parse_decimal(v, decimal_mark=mark) for v in column] == [
        Decimal("100000.000"),
        Decimal("590161.540"),
        Decimal("900.000"),
    ]
    # English column: 1,234.5 and 900,000 → 900000
    assert infer_decimal_mark(["1,234.5", "900,000"]) == "."
    assert parse_decimal("900,000", decimal_mark=".") == Decimal("900000.000")
    # nothing decides: each value is read on its own (58.053 → 58053)
    assert infer_decimal_mark(["58.053", "1.234", 12]) is None
