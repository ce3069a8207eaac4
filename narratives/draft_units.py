"""Which unit a draft is for: a code (L568, 568, 56) or a name ("Nha Trang", "Thành phố Nha
Trang", "Nha Trang, Khánh Hòa"), looked up in marts.dim_admin_units. An unknown or
ambiguous name is an error naming it, with the closest names."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from typing import Any

_PREFIXES = (
    "ubnd ",
    "ủy ban nhân dân ",
    "uỷ ban nhân dân ",
    "thành phố ",
    "thị xã ",
    "thị trấn ",
    "huyện ",
    "quận ",
    "phường ",
    "xã ",
    "tỉnh ",
    "tp. ",
    "tp ",
)


class DraftUnitError(ValueError):
    """The unit typed is unknown or ambiguous; ``vi`` is the Vietnamese message, ``close``
    the closest units."""

    def __init__(self, vi: str, en: str, close: list[str]) -> None:
        super().__init__(en)
        self.vi = vi
        self.en = en
        self.close = close


@dataclass(frozen=True)
class DraftUnit:
    code: str
    name: str  # "Thành phố Nha Trang"
    unit_type: str  # "Thành phố"
    kind: str  # province, district, commune
    province_name: str | None

    @property
    def subject(self) -> str:
        """How the report names its authority: "UBND thành phố Nha Trang"."""
        name = self.name
        if self.unit_type and name.startswith(self.unit_type):
            name = self.unit_type.lower() + name[len(self.unit_type) :]
        return f"UBND {name}"

    @property
    def file_part(self) -> str:
        return self.code


def normalise(text: str) -> str:
    text = " ".join(unicodedata.normalize("NFC", text).casefold().split())
    changed = True
    while changed:
        changed = False
        for prefix in _PREFIXES:
            if text.startswith(prefix):
                text, changed = text[len(prefix) :], True
    return text


def _label(row: dict[str, Any]) -> str:
    province = (
        f", {row['province_name']}" if row.get("province_name") and row["unit_kind"] != "province" else ""
    )
    return f"{row['unit_name']}{province} ({row['unit_code']})"


def _valid_at(row: dict[str, Any], day: date) -> bool:
    return (row["valid_from"] is None or row["valid_from"] <= day) and (
        row["valid_to"] is None or row["valid_to"] >= day
    )


def resolve_unit(text: str, units: list[dict[str, Any]], at: date) -> DraftUnit:
    """The unit ``text`` names among ``units`` (rows of narratives/sql/draft_units.sql),
    preferring the one valid at ``at`` (a legacy code for a period before July 2025)."""
    wanted = text.strip()
    name_part, _, province_part = wanted.partition(",")
    key, province_key = normalise(name_part), normalise(province_part)
    found = [
        row
        for row in units
        if wanted.upper() in (row["unit_code"].upper(), f"L{row['gso_code']}".upper())
        or wanted == row["gso_code"]
    ]
    if not found:
        found = [
            row
            for row in units
            if key in (normalise(row["unit_name"]), normalise(row["short_name"] or ""))
            and (not province_key or normalise(row["province_name"] or "") == province_key)
        ]
    if len(found) > 1:
        valid = [row for row in found if _valid_at(row, at)]
        found = valid or found
    if len(found) > 1:
        legacy = [row for row in found if row["unit_code"].startswith("L")]
        found = legacy if at < date(2025, 7, 1) and len(legacy) == 1 else found
    if len(found) == 1:
        row = found[0]
        return DraftUnit(
            row["unit_code"], row["unit_name"], row["unit_type"] or "", row["unit_kind"], row["province_name"]
        )
    if found:
        close = [_label(row) for row in found[:8]]
        raise DraftUnitError(
            f"tên đơn vị '{wanted}' chỉ nhiều đơn vị; ghi rõ mã hoặc thêm tỉnh (ví dụ '{name_part.strip()},"
            f" {found[0]['province_name']}'): " + "; ".join(close),
            f"the unit name '{wanted}' is ambiguous; give its code or its province",
            close,
        )
    names = {normalise(row["unit_name"]): row for row in units}
    close = [_label(names[n]) for n in difflib.get_close_matches(key, list(names), n=5, cutoff=0.6)]
    hint = f"; gần đúng nhất: {'; '.join(close)}" if close else ""
    raise DraftUnitError(
        f"không tìm thấy đơn vị '{wanted}' trong kho dữ liệu{hint}",
        f"unknown unit '{wanted}'",
        close,
    )
