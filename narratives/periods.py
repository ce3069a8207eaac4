"""Periods as report sentences state them, found with their offsets: "năm 2018", "trong năm
2018", "6 tháng đầu năm 2023", "9 tháng đầu năm 2020", "quý III năm 2023", "tháng 6/2023",
"đến ngày 12/6/2023", "tính đến ngày 25 tháng 8 năm 2023". A comparison ("so với năm 2017"),
a span of years ("giai đoạn 2016-2020") and a document's date ("ngày 26/01/2018" after a
document number) are not periods. A period without a year ("6 tháng đầu năm", "trong năm")
takes ``default_year`` (the report's)."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date

from narratives.text import fold_same_length

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4, "1": 1, "2": 2, "3": 3, "4": 4}


@dataclass(frozen=True)
class PeriodRef:
    kind: str  # year | half | nine_months | quarter | month | to_date
    year: int
    end: date

    @property
    def label(self) -> str:
        return str(self.year) if self.kind == "year" else self.end.isoformat()


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


_Y = r"(?:\s*(?:nam|/|-)\s*(\d{4}))"
_TO_DATE = re.compile(
    r"\b(?:tinh |ket qua |thuc hien )?(?:den|toi)\s+(?:het\s+)?(?:ngay|thoi diem)?\s*"
    r"(?:(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})|(\d{1,2})\s+thang\s+(\d{1,2})\s+nam\s+(\d{4}))"
)
_N_MONTHS = re.compile(r"\b(\d{1,2})\s+thang\s+(dau|cuoi)\s+nam(?:\s+(\d{4}))?")
_QUARTER = re.compile(r"\bquy\s+(iv|iii|ii|i|[1-4])\b" + _Y + "?")
_MONTH = re.compile(r"\b(?:trong\s+)?thang\s+(\d{1,2})" + _Y)
_END_OF_YEAR = re.compile(r"\b(?:den\s+)?(?:cuoi|het)\s+nam\s+(\d{4})")
_YEAR = re.compile(r"\b(?:trong\s+|ca\s+|cua\s+)?nam\s+(\d{4})\b(?!\s*[-–]\s*\d)")
_YEAR_BARE = re.compile(r"\btrong\s+nam\b(?!\s+\d)|\bnam\s+nay\b")
_NOT_BEFORE = re.compile(r"(?:so\s+voi|giai\s+doan|thang\s+\d{1,2}|ngay\s+\d{1,2}|tu)\s*(?:cung\s+ky\s+)?$")


def find_periods(text: str, default_year: int | None = None) -> list[tuple[int, int, PeriodRef]]:
    """The periods a sentence (or a title) states, as (start, end, period) in order."""
    folded = fold_same_length(text)
    found: list[tuple[int, int, PeriodRef]] = []
    taken: list[tuple[int, int]] = []

    def free(a: int, b: int) -> bool:
        return all(b <= x or a >= y for x, y in taken)

    def add(a: int, b: int, ref: PeriodRef) -> None:
        found.append((a, b, ref))
        taken.append((a, b))

    for m in _TO_DATE.finditer(folded):
        d, mo, y = (
            (m.group(1), m.group(2), m.group(3)) if m.group(1) else (m.group(4), m.group(5), m.group(6))
        )
        try:
            end = date(int(y), int(mo), int(d))
        except ValueError:
            continue
        if int(mo) == 12 and int(d) == 31:
            add(m.start(), m.end(), PeriodRef("year", end.year, end))
        else:
            add(m.start(), m.end(), PeriodRef("to_date", end.year, end))
    for m in _N_MONTHS.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        n = int(m.group(1))
        year = int(m.group(3)) if m.group(3) else default_year
        if year is None or not 1 <= n <= 12 or m.group(2) == "cuoi":
            continue
        kind = {6: "half", 9: "nine_months", 3: "quarter", 12: "year"}.get(n, "to_date")
        add(m.start(), m.end(), PeriodRef(kind, year, _month_end(year, n)))
    for m in _QUARTER.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        year = int(m.group(2)) if m.group(2) else default_year
        if year is None:
            continue
        add(m.start(), m.end(), PeriodRef("quarter", year, _month_end(year, 3 * ROMAN[m.group(1)])))
    for m in _MONTH.finditer(folded):
        if not free(m.start(), m.end()) or _NOT_BEFORE.search(folded[: m.start()][-12:]):
            continue
        if re.search(r"ngay\s+\d{1,2}\s+$", folded[: m.start()]):
            continue
        month, year = int(m.group(1)), int(m.group(2))
        if 1 <= month <= 12:
            add(m.start(), m.end(), PeriodRef("month", year, _month_end(year, month)))
    for m in _END_OF_YEAR.finditer(folded):
        if free(m.start(), m.end()):
            year = int(m.group(1))
            add(m.start(), m.end(), PeriodRef("year", year, date(year, 12, 31)))
    for m in _YEAR.finditer(folded):
        if not free(m.start(), m.end()):
            continue
        before = folded[: m.start()][-20:]
        if _NOT_BEFORE.search(before) or re.search(r"thang\s+\d{1,2}\s*$", before):
            continue
        year = int(m.group(1))
        if 1990 <= year <= 2100:
            add(m.start(), m.end(), PeriodRef("year", year, date(year, 12, 31)))
    if default_year is not None:
        for m in _YEAR_BARE.finditer(folded):
            if free(m.start(), m.end()):
                add(m.start(), m.end(), PeriodRef("year", default_year, date(default_year, 12, 31)))
    found.sort(key=lambda t: t[0])
    return found


def comparison_spans(text: str) -> list[tuple[int, int]]:
    """Spans of "so với (cùng kỳ) năm 2017" — a comparison, never the claim's period."""
    folded = fold_same_length(text)
    return [
        (m.start(), m.end()) for m in re.finditer(r"so\s+voi\s+(?:cung\s+ky\s+)?(?:nam\s+)?\d{4}", folded)
    ]


def comparison_periods_of(text: str) -> list[tuple[int, int, PeriodRef]]:
    """The years compared with ("so với năm 2022"), as periods with their offsets."""
    folded = fold_same_length(text)
    out: list[tuple[int, int, PeriodRef]] = []
    for m in re.finditer(r"so\s+voi\s+(?:cung\s+ky\s+)?(?:nam\s+)?(\d{4})", folded):
        year = int(m.group(1))
        if 1990 <= year <= 2100:
            out.append((m.start(), m.end(), PeriodRef("year", year, date(year, 12, 31))))
    return out
