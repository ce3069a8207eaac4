"""The column widths measured a column at a time (reports.widths) are those measured a
value at a time, whatever the mix of texts and numbers, zeros' signs, NaN and infinities."""

from __future__ import annotations

import random
from decimal import Decimal

from reports import styles as st
from reports.excel_index import _column_width, _column_width_each
from reports.styles import _display_len
from reports.widths import widest_display

POOL: list[object] = [
    None,
    0,
    5,
    -5,
    50,
    1_234_567,
    -1_234_567,
    10**17,
    True,
    False,
    0.0,
    -0.0,
    0.125,
    -0.125,
    9.995,
    1e20,
    -1e-20,
    float("inf"),
    float("-inf"),
    float("nan"),
    Decimal("0"),
    Decimal("0.00"),
    Decimal("-0.00"),
    Decimal("-0.001"),
    Decimal("5.00"),
    Decimal("5E+1"),
    Decimal("999.995"),
    Decimal("-999.995"),
    Decimal("123456789012.123456789"),
    Decimal("-Infinity"),
    Decimal("NaN"),
    "",
    "abc",
    "x" * 70,
    "a\nbbbbbbbb",
    "Thành phố",
    "Tha\u0300nh phố",  # decomposed: NFC is shorter
]
FORMATS = [None, st.INT, st.DEC2, st.PCT2, st.SIGNED_INT, st.SIGNED_DEC2]


def _widest_each(values: tuple[object, ...], number_format: str) -> int:
    return max((_display_len(v, number_format) for v in values), default=0)


def _outcome(measure, *args) -> object:  # type: ignore[no-untyped-def]
    try:
        return measure(*args)
    except Exception as exc:  # noqa: BLE001  # the same error either way
        return type(exc)


def test_widths_by_column_equal_widths_by_value() -> None:
    rng = random.Random(20261206)
    for _ in range(20_000):
        values = tuple(rng.choice(POOL) for _ in range(rng.randint(0, 8)))
        assert _outcome(_column_width, values) == _outcome(_column_width_each, values), values
        for fmt in FORMATS:
            number_format = fmt or "General"
            each = _outcome(_widest_each, values, number_format)
            assert _outcome(widest_display, values, number_format, _display_len) == each, (values, fmt)
