"""Parse numbers written the Vietnamese way, the English way, or stored by Excel.

Separators
    Vietnamese documents group thousands with ``.`` and mark decimals with ``,``
    (``58.053`` = 58053, ``91,33`` = 91.33, ``590.161,540`` = 590161.54); English ones do
    the opposite (``58,053``, ``1,234.5``).

    * Both ``.`` and ``,`` present: the last one is the decimal mark, the other groups
      thousands (groups must have 3 digits).
    * One kind of separator, several times: it groups thousands (``1.234.567``).
    * One separator, once (the ambiguous case): it is a **thousands separator when it is
      followed by exactly 3 digits and preceded by 1–3 digits other than a lone 0**
      (``58.053`` and ``58,053`` → 58053, the Vietnamese reading of report figures);
      otherwise it is the decimal mark (``91,33``, ``0,500``, ``1234.567``).
      So ``1,234`` means 1234, never 1.234: write ``1,2340`` or use an Excel number.

Units and words stuck after the number are ignored (``75.384 hồ sơ``, ``36%``,
``590.161,540 triệu đồng``). Words before the number are not accepted.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal, InvalidOperation

from ingest.errors import NumberParseError
from ingest.text import nfc

_NUMBER = re.compile(
    r"^(?P<sign>[+\-\u2212]?)\s*(?P<num>\d[\d.,]*)\s*(?P<suffix>[^\d]*)$",
)
_SUFFIX_OK = re.compile(r"^[%\w\s./()\-]*$")
_GROUPS_OK = re.compile(r"^\d{1,3}(?:\d{3})*$")

#: The largest count a form may state: ten times the yearly dossiers of the whole country
#: (about 10 million), far above any province's figure. A larger count is a typing error
#: (a date or an ID typed into a count column, digits repeated) and would be published as
#: a figure; while :func:`plausible_counts` is in force (a file being loaded) it rejects
#: the file, naming the row and column. Declared once, here.
MAX_COUNT = 100_000_000
_COUNT_BOUND: ContextVar[int | None] = ContextVar("parwh_count_bound", default=None)


@contextmanager
def plausible_counts(bound: int = MAX_COUNT) -> Iterator[int]:
    """While in force, :func:`parse_count` refuses a count above ``bound`` (the loaders
    wrap a file's reading in it; the parser alone reads any whole number)."""
    token = _COUNT_BOUND.set(bound)
    try:
        yield bound
    finally:
        _COUNT_BOUND.reset(token)


def _short(value: object) -> str:
    text = str(value)
    return text if len(text) <= 40 else text[:37] + "..."


def _fail(value: object, why: str = "", why_vi: str = "") -> NumberParseError:
    return NumberParseError(
        f"cannot read {_short(value)!r} as a number{': ' + why if why else ''}",
        f"không đọc được {_short(value)!r} thành số{': ' + why_vi if why_vi else ''}",
    )


def _check_groups(groups: list[str], value: object) -> None:
    """Thousands groups: first 1–3 digits, the rest exactly 3."""
    first, rest = groups[0], groups[1:]
    if not (1 <= len(first) <= 3) or any(len(g) != 3 for g in rest):
        raise _fail(value, "misplaced thousands separator", "dấu phân cách hàng nghìn sai vị trí")


def _digits_to_decimal(num: str, value: object, decimal_mark: str | None = None) -> Decimal:
    dots, commas = num.count("."), num.count(",")
    if dots and commas:
        decimal_mark = "." if num.rfind(".") > num.rfind(",") else ","
        thousands = "," if decimal_mark == "." else "."
        int_part, _, frac = num.rpartition(decimal_mark)
        if thousands in frac or decimal_mark in int_part or not frac:
            raise _fail(value, "mixed separators", "dấu phân cách lẫn lộn")
        _check_groups(int_part.split(thousands), value)
        return Decimal(int_part.replace(thousands, "") + "." + frac)
    if dots or commas:
        sep = "." if dots else ","
        parts = num.split(sep)
        if any(p == "" for p in parts):
            raise _fail(value, "misplaced separator", "dấu phân cách sai vị trí")
        if len(parts) > 2:
            _check_groups(parts, value)
            return Decimal("".join(parts))
        int_part, frac = parts
        if decimal_mark is not None:
            if sep == decimal_mark:
                return Decimal(int_part + "." + frac)
            _check_groups(parts, value)
            return Decimal(int_part + frac)
        if len(frac) == 3 and 1 <= len(int_part) <= 3 and int_part != "0":
            return Decimal(int_part + frac)  # thousands separator (Vietnamese default)
        return Decimal(int_part + "." + frac)
    return Decimal(num)


def infer_decimal_mark(values: Iterable[object]) -> str | None:
    """The decimal mark a column of text numbers uses, when its values tell.

    ``590.161,540`` (both marks: the last is decimal) or ``91,33`` (one mark not followed by
    exactly three digits) settle it; a column of ``58.053``-like values alone does not
    (None). A column mixing both conventions also gives None: each value is then read on
    its own.
    """
    marks: set[str] = set()
    for value in values:
        if not isinstance(value, str):
            continue
        m = _NUMBER.match(nfc(value).strip().replace("\u00a0", " "))
        if not m:
            continue
        num = m.group("num")
        if "." in num and "," in num:
            marks.add("." if num.rfind(".") > num.rfind(",") else ",")
        elif num.count(".") + num.count(",") == 1:
            frac = num.rsplit("." if "." in num else ",", 1)[1]
            if len(frac) != 3:
                marks.add("." if "." in num else ",")
    return marks.pop() if len(marks) == 1 else None


def parse_number(value: object, decimal_mark: str | None = None) -> Decimal:
    """Parse a number (Excel number or text) into a :class:`Decimal`.

    ``decimal_mark`` (``","`` or ``"."``), when the column's convention is known (see
    :func:`infer_decimal_mark`), settles the ambiguous ``900,000``: with ``","`` it is 900.
    Raises :class:`NumberParseError` for blanks, booleans, NaN and anything unreadable.
    """
    if isinstance(value, bool) or value is None:
        raise _fail(value, "empty or not a number", "trống hoặc không phải số")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise _fail(value)
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        if math.isnan(value) or math.isinf(value):
            raise _fail(value)
        return Decimal(repr(value))
    if not isinstance(value, str):
        raise _fail(value)
    text = nfc(value).strip().replace("\u00a0", " ")
    m = _NUMBER.match(text)
    if not m or not _SUFFIX_OK.match(m.group("suffix")):
        raise _fail(value)
    try:
        number = _digits_to_decimal(m.group("num"), value, decimal_mark)
    except InvalidOperation as exc:  # pragma: no cover - regex guarantees digits
        raise _fail(value) from exc
    return -number if m.group("sign") in ("-", "\u2212") else number


def parse_decimal(value: object, places: int = 3, decimal_mark: str | None = None) -> Decimal:
    """Parse an amount (money in million VND) rounded half up to ``places`` decimals."""
    number = parse_number(value, decimal_mark)
    return number.quantize(Decimal(1).scaleb(-places), rounding="ROUND_HALF_UP")


def parse_count(value: object) -> int:
    """Parse a count: a whole, non-negative number (``58.053`` → 58053)."""
    number = parse_number(value)
    if number != number.to_integral_value():
        raise NumberParseError(
            f"{_short(value)!r} is not a whole number (a count is expected)",
            f"{_short(value)!r} không phải số nguyên (cần một số đếm)",
        )
    if number < 0:
        raise NumberParseError(
            f"{_short(value)!r} is negative (a count cannot be negative)",
            f"{_short(value)!r} là số âm (số đếm không được âm)",
        )
    bound = _COUNT_BOUND.get()
    if bound is not None and number > bound:
        raise NumberParseError(
            f"{_short(value)!r} is not a plausible count (more than {format_vi(bound)})",
            f"{_short(value)!r} không phải số đếm hợp lý (lớn hơn {format_vi(bound)})",
        )
    return int(number)


def format_vi(number: Decimal | int, places: int = 0) -> str:
    """Format a number the Vietnamese way (``590161.54`` → ``590.161,540`` with 3 places)."""
    q = Decimal(number).quantize(Decimal(1).scaleb(-places)) if places else Decimal(int(number))
    sign = "-" if q < 0 else ""
    text = f"{abs(q):,.{places}f}"  # English grouping
    return sign + text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")
