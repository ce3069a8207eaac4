"""A claim: one figure a narrative report states about a measure the warehouse knows, with
where it stands in the report (the sentence quoted, its paragraph and character offsets).

The measures are declared once in ``narratives/measures.yaml`` (:func:`measures`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import cache
from pathlib import Path

import yamlfiles

MEASURES_PATH = Path(__file__).parent / "measures.yaml"


@dataclass(frozen=True)
class Measure:
    name: str
    kind: str  # count | rate | money | points
    label_vi: str
    counts: str | None = None


@cache
def measures() -> dict[str, Measure]:
    """The measures a report can state, by name (narratives/measures.yaml)."""
    declared = yamlfiles.load(MEASURES_PATH.read_text(encoding="utf-8"))["measures"]
    return {row["name"]: Measure(**row) for row in declared}


@dataclass(frozen=True)
class Claim:
    """One stated figure. ``value`` is the number as read (a rate in percent: 97.95 for
    "97,95%"; money in million VND), ``value_text`` the number as written ("97,95%").

    ``unit_name`` is the administrative unit as the text names it ("UBND cấp xã", "thành phố
    Nha Trang"; ``None`` = the report's own unit), ``level`` the level of government the
    figure is about (province, district, commune, department; ``None`` if not said).
    ``category`` qualifies the measure where it needs one: the staff category, the PAR area
    number, the channel, the funding source of a part of the disbursement plan ("vốn ngân sách
    tỉnh": such a part is not the unit's plan total, and is linked to it by ``part_of_*``).
    ``max_value`` is the stated maximum or total of an "x/y" figure ("13,91/16,50 điểm",
    "42/46 nhiệm vụ").

    The period: ``period_kind`` (year, half, nine_months, quarter, month, to_date),
    ``period_year`` and ``period_end`` (the last day covered).

    ``status`` is "resolved" or "unresolved"; an unresolved claim keeps ``reason`` (why it
    cannot be tied to a unit, a period or a measure) and is never dropped.

    ``part_of_paragraph``/``part_of_start`` point at the stated total this figure is a part
    of (the paragraph and offset of the total's number) when the text breaks a total down
    ("9.737 hồ sơ (trong đó, … 9.636 hồ sơ, trễ hạn 7 hồ sơ, …)", "733 biên chế, cụ thể: …")
    and every figure of the breakdown was read; ``None`` otherwise."""

    measure: str | None
    value: Decimal
    value_text: str
    paragraph: int
    char_start: int  # offsets of the number within the paragraph's text
    char_end: int
    quote: str  # the sentence, as it stands in the report
    unit_name: str | None = None
    level: str | None = None
    category: str | None = None
    max_value: Decimal | None = None
    period_kind: str | None = None
    period_year: int | None = None
    period_end: date | None = None
    status: str = "resolved"
    reason: str | None = None
    part_of_paragraph: int | None = None
    part_of_start: int | None = None
