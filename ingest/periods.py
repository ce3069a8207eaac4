"""Reporting periods, their labels, and authority levels.

A period is a start and an end date (inclusive); year-to-date periods start on 1 January.
Labels follow the table in ``docs/architecture.md`` (same as the dbt ``period_label`` macro).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date

from ingest import vocabulary
from ingest.dates import DateWindow, active_window, outside_window_error, plausible_dates
from ingest.errors import DateParseError, PeriodParseError
from ingest.numbers import plausible_counts
from ingest.text import fold, fold_keep_punct, nfc

ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}


@contextmanager
def plausible_values(run_date: date | None = None) -> Iterator[DateWindow]:
    """The door's plausibility checks, in force while a file is read: every date parsed
    (:func:`ingest.dates.parse_date`) and every period built (:class:`Period`) within the
    plausible window, every count (:func:`ingest.numbers.parse_count`) at most
    :data:`ingest.numbers.MAX_COUNT`. A value outside rejects the file with its row and
    column (the readers add them). Yields the date window."""
    with plausible_dates(run_date) as window, plausible_counts():
        yield window


class PeriodOutOfWindow(PeriodParseError):
    """A period with a date outside the plausible window (``Năm 9999``): never a period
    merely not found, so :func:`find_period_in_text` lets it through to reject the file."""


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, order=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise PeriodParseError(
                f"period ends ({self.end}) before it starts ({self.start})",
                f"kỳ báo cáo kết thúc ({self.end}) trước khi bắt đầu ({self.start})",
            )
        # While a file is loaded (ingest.dates.plausible_dates) a period must lie within
        # the plausible window: a form of "Năm 9999" would make the models build month
        # series up to 9999. Outside loading (tests, reports) any real period is accepted.
        window = active_window()
        if window is not None:
            for day in (self.start, self.end):
                if not window.contains(day):
                    error = outside_window_error(day, window, "the period's date", "ngày của kỳ báo cáo")
                    raise PeriodOutOfWindow(error.message_en, error.message_vi)

    @property
    def label(self) -> str:
        return period_label(self.start, self.end)

    @property
    def kind(self) -> str:
        return period_kind(self.start, self.end)

    @classmethod
    def year(cls, year: int) -> Period:
        return cls(date(year, 1, 1), date(year, 12, 31))

    @classmethod
    def ytd(cls, end: date) -> Period:
        return cls(date(end.year, 1, 1), end)


def _classify(start: date, end: date) -> tuple[str, str]:
    y = start.year
    if end.year != y or end < start:
        raise PeriodParseError(
            f"period {start}..{end} does not lie within one year",
            f"kỳ {start}..{end} không nằm trong một năm",
        )
    month_start = start.day == 1
    month_last = end == _month_end(end.year, end.month)
    if start == date(y, 1, 1) and end == date(y, 12, 31):
        return f"{y}", "year"
    if start == date(y, 1, 1) and end == date(y, 6, 30):
        return f"{y}-H1", "half"
    if start == date(y, 7, 1) and end == date(y, 12, 31):
        return f"{y}-H2", "half"
    if month_start and month_last and start.month % 3 == 1 and end.month == start.month + 2:
        return f"{y}-Q{(start.month - 1) // 3 + 1}", "quarter"
    if month_start and month_last and start.month == end.month:
        return f"{y}-{start.month:02d}", "month"
    if start == date(y, 1, 1) and month_last:
        return f"{y}-{end.month}M", "ytd"
    if start == date(y, 1, 1):
        return f"{y}-YTD-{end.month:02d}-{end.day:02d}", "ytd"
    # any other span within the year (a weekly report, "từ ngày 03/7 đến ngày 09/7"): loaded
    # and published under its dates; rubrics rank only the kinds they name
    return f"{start.isoformat()}..{end.isoformat()}", "custom"


def period_label(start: date, end: date) -> str:
    """Label of a period: ``2023``, ``2023-H1``, ``2023-Q3``, ``2023-06``, ``2023-9M``,
    ``2023-YTD-08-15``, or ``2023-07-03..2023-07-09`` for any other span within one year.
    Raises :class:`PeriodParseError` for a span across years."""
    return _classify(start, end)[0]


def period_kind(start: date, end: date) -> str:
    """``year``, ``half``, ``quarter``, ``month``, ``ytd`` or ``custom``."""
    return _classify(start, end)[1]


# --- parsing -----------------------------------------------------------------------------

_DATE = r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{4})"
_DATE_WORDS = r"(\d{1,2}) thang (\d{1,2}) nam (\d{4})"
_ISO_DATE = r"(\d{4})-(\d{2})-(\d{2})"

_RANGE = re.compile(rf"(?:tu ngay |tu )?{_DATE}\s*(?:-|–|den ngay|den|to)\s*{_DATE}")
_ISO_RANGE = re.compile(rf"{_ISO_DATE}\s*(?:/|\.\.|to| - )\s*{_ISO_DATE}")
_UNTIL = re.compile(rf"(?:den|toi)(?: ngay)?\s*{_DATE}")
_UNTIL_WORDS = re.compile(rf"(?:den|toi) ngay {_DATE_WORDS}")
_DOC_DATE = re.compile(rf"ngay\s*(?:{_DATE}|{_DATE_WORDS})")
_N_MONTHS = re.compile(r"\b(\d{1,2}) thang (dau|cuoi)?\s*(?:nam\s*)?(\d{4})\b")
_QUARTER = re.compile(r"\b(?:quy|q)\s*(i{1,3}|iv|[1-4])\b\s*(?:nam\s*)?(\d{4})\b")
_MONTH = re.compile(r"\bthang\s*(\d{1,2})\b\s*(?:nam\s*)?(\d{4})\b")
_YEAR_WORD = re.compile(r"\bnam\s*(\d{4})\b")
_LABEL = re.compile(r"(?<![\d\-])(\d{4})-(h[12]|q[1-4]|\d{1,2}m|ytd-\d{2}-\d{2}|\d{2})(?![\d\-])")
_BARE_YEAR = re.compile(r"(?<![\d/.\-])((?:19|20)\d{2})(?![\d/\-]|\.\d)")


def _mkdate(d: str, m: str, y: str) -> date:
    try:
        return date(int(y), int(m), int(d))
    except ValueError as exc:
        raise DateParseError(
            f"{d}/{m}/{y} is not a valid date", f"{d}/{m}/{y} không phải ngày hợp lệ"
        ) from exc


def _from_label(y: int, rest: str) -> Period:
    if rest in ("h1", "h2"):
        return (
            Period(date(y, 1, 1), date(y, 6, 30)) if rest == "h1" else Period(date(y, 7, 1), date(y, 12, 31))
        )
    if rest.startswith("q"):
        q = int(rest[1])
        return Period(date(y, 3 * q - 2, 1), _month_end(y, 3 * q))
    if rest.endswith("m"):
        return _n_months(y, int(rest[:-1]), first=True)
    if rest.startswith("ytd-"):
        _, mm, dd = rest.split("-")
        return Period.ytd(_mkdate(dd, mm, str(y)))
    month = int(rest)
    return Period(date(y, month, 1), _month_end(y, month))


def _n_months(year: int, n: int, first: bool = True) -> Period:
    if not 1 <= n <= 12:
        raise PeriodParseError(f"{n} months is not a valid span", f"{n} tháng không hợp lệ")
    if first:
        return Period(date(year, 1, 1), _month_end(year, n))
    return Period(date(year, 13 - n, 1), date(year, 12, 31))


def _month(year: int, month: int) -> Period:
    if not 1 <= month <= 12:
        raise PeriodParseError(f"month {month} does not exist", f"không có tháng {month}")
    return Period(date(year, month, 1), _month_end(year, month))


def _search(text: str, bare_year: bool) -> Period | None:
    """Find a period in lowercase accent-free text that keeps punctuation."""
    t = text.replace("_", " ")
    for rx in (_ISO_RANGE,):
        if m := rx.search(t):
            g = m.groups()
            return Period(_mkdate(g[2], g[1], g[0]), _mkdate(g[5], g[4], g[3]))
    if m := _RANGE.search(t):
        g = m.groups()
        return Period(_mkdate(*g[:3]), _mkdate(*g[3:]))
    if m := _UNTIL.search(t) or _UNTIL_WORDS.search(t):
        return Period.ytd(_mkdate(*m.groups()))
    # A document date ("Đồng Tháp, ngày 20 tháng 12 năm 2023") is not a period.
    t = _DOC_DATE.sub(" ", t)
    if m := _LABEL.search(t):
        try:
            return _from_label(int(m.group(1)), m.group(2))
        except (PeriodParseError, DateParseError, ValueError):
            pass
    words = fold(t)
    if m := _N_MONTHS.search(words):
        return _n_months(int(m.group(3)), int(m.group(1)), first=m.group(2) != "cuoi")
    if m := _QUARTER.search(words):
        q = m.group(1)
        quarter = ROMAN[q] if q in ROMAN else int(q)
        return _from_label(int(m.group(2)), f"q{quarter}")
    if m := _MONTH.search(words):
        return _month(int(m.group(2)), int(m.group(1)))
    if m := _YEAR_WORD.search(words):
        return Period.year(int(m.group(1)))
    if bare_year and (m := _BARE_YEAR.search(t)):
        return Period.year(int(m.group(1)))
    return None


def _unparsable(text: object) -> PeriodParseError:
    shown = str(text)[:60]
    return PeriodParseError(
        f"cannot determine the period from {shown!r}"
        " (expected e.g. 'Năm 2023', 'Quý III/2023', '2023-H1', 'đến ngày 15/8/2023')",
        f"không xác định được kỳ báo cáo từ {shown!r}"
        " (ví dụ: 'Năm 2023', 'Quý III/2023', '2023-H1', 'đến ngày 15/8/2023')",
    )


def parse_period(text: object) -> Period:
    """Parse a period written in a cell: ``Năm 2018``, ``6 tháng đầu năm 2023``,
    ``Quý III/2023``, ``Tháng 6/2023``, ``đến ngày 25/8/2023``, ``2023``, ``2023-H1``,
    ``2023-Q3``, ``2023-06``, ``2023-9M``, ``01/01/2023 - 30/06/2023`` …

    Raises :class:`PeriodParseError` (a ``ValueError``) when no period can be read.
    """
    if isinstance(text, bool) or text is None:
        raise _unparsable(text)
    if isinstance(text, int) and 1900 <= text <= 2100:
        return Period.year(text)
    if isinstance(text, float) and text.is_integer() and 1900 <= text <= 2100:
        return Period.year(int(text))
    s = fold_keep_punct(nfc(str(text)))
    try:
        period = _search(s, bare_year=True)
    except DateParseError as exc:
        raise PeriodParseError(exc.message_en, exc.message_vi) from exc
    if period is None:
        raise _unparsable(text)
    period_label(period.start, period.end)  # only representable periods are accepted
    return period


def find_period_in_text(text: object) -> Period | None:
    """Search a title row or a file name (``bao_cao_tthc_nam_2023.xlsx``,
    ``dossiers_2023-Q3.csv``) for a period; ``None`` when there is none."""
    if text is None:
        return None
    s = fold_keep_punct(nfc(str(text)))
    try:
        period = _search(s, bare_year=True)
        if period is not None:
            period_label(period.start, period.end)
        return period
    except PeriodOutOfWindow:
        raise  # a period is stated, and it is implausible: the file is rejected for it
    except (PeriodParseError, DateParseError):
        return None


# --- authority levels --------------------------------------------------------------------

_LEVEL_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan|level)?\s*(?:cap)?\s*")


def parse_authority_level(text: object) -> str:
    """``Cấp huyện``/``Huyện``/``huyen``/``UBND cấp xã``/``xã``/``tỉnh`` → ``tinh|huyen|xa``."""
    words = fold(text)
    core = _LEVEL_PREFIX.sub("", words).strip()
    for candidate in (core, words):
        level = vocabulary.lookup("authority_levels", candidate)
        if level:
            return level
    shown = str(text)[:40]
    raise PeriodParseError(
        f"cannot read {shown!r} as an authority level (tỉnh / huyện / xã)",
        f"không đọc được {shown!r} thành cấp hành chính (tỉnh / huyện / xã)",
    )


def find_authority_level_in_text(text: object) -> str | None:
    """Find ``cấp tỉnh/huyện/xã`` in a title row."""
    m = re.search(r"\bcap (tinh|huyen|xa)\b", fold(text))
    return m.group(1) if m else None
