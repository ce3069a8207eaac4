"""File-level context read from the title rows above the header and from the file name:
period, province, authority level and unit. A column value overrides it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePath

from ingest.admin_units import UnitResolver
from ingest.periods import Period, find_authority_level_in_text, find_period_in_text
from ingest.text import clean, fold, is_blank

_UNIT_LINE = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong)(?: bao cao)?$")


@dataclass(frozen=True)
class FileContext:
    period: Period | None = None
    province: str | None = None
    authority_level: str | None = None
    unit_name: str | None = None


def row_text(row: tuple) -> str:
    return " ".join(clean(v) for v in row if not is_blank(v))


def extract_context(title_rows: list[tuple], file_name: str, resolver: UnitResolver) -> FileContext:
    period = province = level = unit = None
    for row in title_rows:
        text = row_text(row)
        if not text:
            continue
        if ":" in text:
            head, _, tail = text.partition(":")
            if _UNIT_LINE.match(fold(head)) and tail.strip():
                unit = unit or clean(tail)
        period = period or find_period_in_text(text)
        province = province or resolver.find_province_in_text(text)
        level = level or find_authority_level_in_text(text)
    stem = PurePath(file_name).name
    period = period or find_period_in_text(stem)
    level = level or find_authority_level_in_text(stem.replace("_", " "))
    return FileContext(period=period, province=province, authority_level=level, unit_name=unit)
