"""The widest value of a column of data lines, as the width helpers count a value one at a
time (:func:`reports.styles.fit_columns`, :func:`reports.excel_index.fit_block_columns`), computed
a column at a time: each class of value measured at once (texts once each, whole numbers at
their two ends, decimals by their ``str``), the others one at a time as before."""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from decimal import Decimal

_NONE = type(None)
#: data lines by their number formats: the formats, and the values a column at a time
ValueColumns = list[tuple[tuple[str | None, ...], list[tuple[object, ...]]]]


def by_class(values: Sequence[object]) -> dict[type, list[object]]:
    """``values`` but None, by their exact class (each list in the order of ``values``)."""
    classes = set(map(type, values))
    classes.discard(_NONE)
    if len(classes) == 1:
        only = classes.pop()
        return {only: [v for v in values if v is not None]}
    return {cls: [v for v in values if v.__class__ is cls] for cls in classes}


def widest_display(
    values: Sequence[object], number_format: str, measure: Callable[[object, str], int]
) -> int:
    """``max(measure(v, number_format) for v in values)`` (0 when none), ``measure`` being
    :func:`reports.styles.fit_columns`: a text by its NFC lines (each distinct text once), a
    whole number by its length as ``1,234`` or ``1,234.00`` (the longest is the largest or the
    smallest), a decimal by its ``str``."""
    widest = 0
    for cls, found in by_class(values).items():
        if cls is str:
            n = max(measure(v, number_format) for v in set(found))
        elif cls is int:
            n = max(measure(max(found), number_format), measure(min(found), number_format))  # type: ignore[type-var]
        elif cls is Decimal:
            n = max(map(len, map(str, found)))
        else:
            n = max(measure(v, number_format) for v in found)
        widest = max(widest, n)
    return widest


def widest_block_number(numbers: dict[type, list[object]]) -> int | None:
    """The longest of ``numbers`` (by class) as ``1,234.56`` when they are whole numbers,
    Decimals or floats, all finite (an infinity writes ``inf``): the longest is then the
    largest or the smallest, as :func:`reports.excel_index.fit_block_columns` takes them
    (numbers of equal value write as long, but for a zero's sign, which it measures apart);
    None when it must measure them one at a time."""
    if not numbers.keys() <= _NUMBERS:
        return None
    if not all(map(Decimal.is_finite, numbers.get(Decimal, ()))):  # type: ignore[arg-type]
        return None
    if not all(map(math.isfinite, numbers.get(float, ()))):  # type: ignore[arg-type]
        return None
    largest = max(max(found) for found in numbers.values())  # type: ignore[type-var]
    smallest = min(min(found) for found in numbers.values())  # type: ignore[type-var]
    return max(len(f"{largest:,.2f}"), len(f"{smallest:,.2f}"))


_NUMBERS = frozenset({int, Decimal, float})
