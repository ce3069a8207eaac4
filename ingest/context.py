"""File-level context read from the title rows above the header and from the file name:
period, province, authority level and the reporting unit. A column value overrides it.

Title blocks are read cell by cell, as official forms write them side by side
("Đơn vị báo cáo: UBND thành phố Nha Trang, tỉnh Khánh Hòa" | "Đơn vị nhận báo cáo: …";
"Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)"). A cell that names the
period ("Kỳ báo cáo: …", "Số liệu từ ngày … đến ngày …") wins over a date met elsewhere
in the title, and legal references ("Ban hành kèm theo Thông tư số 01/2020/TT-VPCP ngày
21/10/2020") are never read as a period.
"""

from __future__ import annotations

import contextlib
import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import PurePath

from ingest import vocabulary
from ingest.admin_units import UnitResolver
from ingest.periods import Period, find_authority_level_in_text, find_period_in_text
from ingest.text import clean, fold, fold_keep_punct, is_blank

_UNIT_LINE = re.compile(r"^(?:ten )?(?:don vi|co quan|dia phuong)(?: bao cao)?$")
_PERIOD_LINE = re.compile(r"^(?:ky bao cao|ky|thoi gian bao cao|thoi ky bao cao|so lieu|ky so lieu)\b")
_PERIOD_WORDS = re.compile(r"^(?:so lieu|tinh) (?:tu|den) ngay\b|^(?:tu ngay|den ngay)\b")
_LEGAL_REFERENCE = re.compile(
    r"\b(?:thong tu|nghi dinh|quyet dinh|ban hanh kem theo|cong van|ke hoach|bieu so|mau so)\b"
    r"|^ngay nhan bao cao\b"
)
_LETTERHEAD = re.compile(
    r"^(?:ubnd|uy ban nhan dan) (?:tinh|thanh pho|thi xa|huyen|quan|xa|phuong|thi tran|dac khu) \w"
)
_PLACE_DATE = re.compile(r"^([^,]{3,40}),\s*ngay\b")
_MONEY_LINE = re.compile(r"^(?:don vi tinh|dvt)$")
_UNIT_PREFIX = re.compile(r"^(?:ubnd|uy ban nhan dan)\s+", re.IGNORECASE)


@dataclass(frozen=True)
class FileContext:
    period: Period | None = None
    province: str | None = None
    authority_level: str | None = None
    unit_name: str | None = None
    #: millions of VND in the unit the title block states ("Đơn vị tính: đồng")
    money_scale: Decimal | None = None

    def filled_from(self, other: FileContext) -> FileContext:
        """This context, with what it does not say taken from ``other`` (a second table of
        a sheet keeps the first table's title block unless its own title says otherwise)."""
        return FileContext(
            period=self.period or other.period,
            province=self.province or other.province,
            authority_level=self.authority_level or other.authority_level,
            unit_name=self.unit_name or other.unit_name,
            money_scale=self.money_scale or other.money_scale,
        )


def row_text(row: tuple) -> str:
    return " ".join(clean(v) for v in row if not is_blank(v))


def _cells(row: tuple) -> list[str]:
    """The row's texts; a label cell ending with ':' is joined with the cell after it
    ("Đơn vị:" | "Thành phố Sa Đéc")."""
    texts = [clean(v) for v in row if not is_blank(v)]
    out: list[str] = []
    for text in texts:
        if out and out[-1].endswith(":"):
            out[-1] = f"{out[-1]} {text}"
        else:
            out.append(text)
    return out


def reporting_unit_name(text: str) -> str:
    """ "UBND thành phố Nha Trang, tỉnh Khánh Hòa" → "thành phố Nha Trang" (the province
    is read separately)."""
    name = _UNIT_PREFIX.sub("", clean(text))
    head, sep, tail = name.rpartition(",")
    if sep and re.match(r"^(?:tinh|thanh pho)\b", fold(tail)):
        name = head
    return _UNIT_PREFIX.sub("", name.strip(" -–")).strip()


def extract_context(title_rows: list[tuple], file_name: str, resolver: UnitResolver) -> FileContext:
    period = stated_period = province = level = unit = money = letterhead = None
    for row in title_rows:
        for cell in _cells(row):
            head, colon, tail = cell.strip("()[] ").partition(":")
            folded_head = fold(head)
            if colon and _MONEY_LINE.match(folded_head):
                money = money or vocabulary.money_scale(tail.strip(" .;)"))
                continue
            if colon and _UNIT_LINE.match(folded_head) and tail.strip():
                unit = unit or reporting_unit_name(tail)
                province = province or resolver.find_province_in_text(tail)
                continue
            if colon and fold(head).startswith("don vi nhan"):
                continue  # the recipient's name says nothing about the report
            if not colon and _LETTERHEAD.match(fold(cell)):
                letterhead = reporting_unit_name(cell)  # the lowest one is the issuer
                province = province or resolver.find_province_in_text(cell)
                continue
            place = _PLACE_DATE.match(fold(cell))
            if place and not province:  # "Tây Ninh, ngày 05 tháng 7 năm 2023"
                with contextlib.suppress(ValueError):
                    resolver.resolve_province(place.group(1))
                    province = place.group(1)
            if stated_period is None and (
                (colon and _PERIOD_LINE.match(folded_head)) or _PERIOD_WORDS.match(fold(cell))
            ):
                stated_period = find_period_in_text(tail if colon else cell)
            if not _LEGAL_REFERENCE.search(fold(cell)):
                period = period or find_period_in_text(cell)
                province = province or resolver.find_province_in_text(cell)
            level = level or find_authority_level_in_text(cell)
    stem = PurePath(file_name).name
    period = stated_period or period or find_period_in_text(stem)
    level = level or find_authority_level_in_text(stem.replace("_", " "))
    return FileContext(
        period=period,
        province=province,
        authority_level=level,
        unit_name=unit or letterhead,
        money_scale=money,
    )


# "Tây Ninh, ngày 05 tháng 7 năm 2023", "TP. Cao Lãnh, ngày 15/7/2023" (folded, punctuation kept)
_SUBMITTED_WORDS = re.compile(
    r"^[^,:;]{2,60},\s*ngay\s*(\d{1,2})\s*thang\s*(\d{1,2})\s*(?:,\s*)?nam\s*(\d{4})\b"
)
_SUBMITTED_NUMERIC = re.compile(r"^[^,:;]{2,60},\s*ngay\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\b")


def submission_date(rows: list[tuple] | list[list]) -> date | None:
    """The date a form states it was signed: its place-and-date line ("Tây Ninh, ngày 05
    tháng 7 năm 2023"), the first one met in ``rows``; ``None`` when there is none or the
    day is blank ("ngày … tháng … năm 2023"). Why: of two versions of one submission the one
    submitted later wins, and the file's own date says so better than its name."""
    for row in rows:
        for value in row:
            if not isinstance(value, str) or "," not in value:
                continue
            text = fold_keep_punct(value)
            found = _SUBMITTED_WORDS.match(text) or _SUBMITTED_NUMERIC.match(text)
            if found is None or _LEGAL_REFERENCE.search(fold(text.split(",", 1)[0])):
                continue
            day, month, year = (int(g) for g in found.groups())
            if not 2000 <= year <= 2100:
                continue
            with contextlib.suppress(ValueError):
                return date(year, month, day)
    return None
