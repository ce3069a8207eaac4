"""The period of a draft report: parsed from what the user types (2018, 2023-H1, 2023-Q3,
2023-9M, 2023-06, 2023-06-30, "Quý 3/2023" …) and said in the report's words ("năm 2018",
"6 tháng đầu năm 2023", "9 tháng đầu năm 2020", "quý III năm 2023", "tháng 6 năm 2023",
"từ đầu năm đến ngày 15/8/2023")."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from ingest.errors import PeriodParseError
from ingest.periods import Period, parse_period

_ISO_DATE = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")
_ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


class DraftPeriodError(ValueError):
    """The period typed cannot be read; ``vi`` is the Vietnamese message."""

    def __init__(self, vi: str, en: str) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en


@dataclass(frozen=True)
class DraftPeriod:
    label: str  # the marts' period_label: 2018, 2023-H1, 2023-Q3, 2023-9M, 2023-YTD-08-15
    kind: str  # year, half, quarter, month, ytd
    start: date
    end: date

    @property
    def year(self) -> int:
        return self.end.year

    @property
    def words(self) -> str:
        """How a report says it: "năm 2018", "6 tháng đầu năm 2023", "quý III năm 2023" …"""
        return period_words(self.start, self.end)

    @property
    def file_part(self) -> str:
        return self.label


def period_words(start: date, end: date) -> str:
    year = end.year
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    month_end = _is_month_end(end)
    if start == date(year, 1, 1) and end == date(year, 12, 31):
        return f"năm {year}"
    if start.day == 1 and month_end and months == 3 and start.month in (1, 4, 7, 10):
        return f"quý {_ROMAN[(start.month - 1) // 3 + 1]} năm {year}"
    if start.day == 1 and month_end and months == 1:
        return f"tháng {end.month} năm {year}"
    if start == date(year, 1, 1) and month_end:
        return f"{months} tháng đầu năm {year}"
    if start == date(year, 7, 1) and end == date(year, 12, 31):
        return f"6 tháng cuối năm {year}"
    if start == date(year, 1, 1):
        return f"từ đầu năm {year} đến ngày {end.day}/{end.month}/{year}"
    return f"từ ngày {start.day}/{start.month}/{start.year} đến ngày {end.day}/{end.month}/{year}"


def _is_month_end(d: date) -> bool:
    return d.month != date.fromordinal(d.toordinal() + 1).month


def parse_draft_period(text: str) -> DraftPeriod:
    """The period the user typed; an ISO date (2023-06-30) is the year to that day."""
    try:
        m = _ISO_DATE.match(text)
        if m:
            end = date(int(m[1]), int(m[2]), int(m[3]))
            period = Period.ytd(end)
        else:
            period = parse_period(text)
    except (PeriodParseError, ValueError) as exc:
        raise DraftPeriodError(
            f"không đọc được kỳ báo cáo '{text}' (ví dụ đúng: 2018, 2023-H1, 2023-Q3, 2023-9M,"
            " 2023-06, 2023-06-30, 'Quý 3/2023')",
            f"cannot read the period '{text}' ({exc})",
        ) from exc
    return DraftPeriod(period.label, period.kind, period.start, period.end)
