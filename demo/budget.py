"""Public investment disbursement, cumulative, million VND (family `budget`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from demo._common import csv_bytes, rng_for, vn_date, vn_decimal
from demo.units import District

HEADER = (
    "Mã đơn vị",
    "Đơn vị",
    "Năm ngân sách",
    "Tính đến ngày",
    "Kế hoạch vốn giao (triệu đồng)",
    "Đã giải ngân (triệu đồng)",
)
QUARTER_ENDS = ((3, 31), (6, 30), (9, 30), (12, 31))

# Seed 003: Sa Đéc, to 15/8/2023, plan 590.161,540, disbursed 212.901,285 (36 %).
SA_DEC = "867"
SA_DEC_PLAN_2023 = Decimal("590161.540")
SA_DEC_AUG_2023 = (date(2023, 8, 15), Decimal("212901.285"))
_SA_DEC_2023_SHARES = (Decimal("0.0912"), Decimal("0.2745"), Decimal("0.4968"), Decimal("0.9231"))

_MILLI = Decimal("0.001")


@dataclass(frozen=True)
class BudgetRow:
    unit_code: str
    unit_name: str
    fiscal_year: int
    as_of: date
    plan_mvnd: Decimal
    disbursed_mvnd: Decimal


def _money(value: float) -> Decimal:
    return Decimal(str(round(value, 3))).quantize(_MILLI)


def district_budget(seed: int, district: District, year: int) -> list[BudgetRow]:
    """Quarterly cumulative disbursement; never shrinks within the year; at most ~99 % of plan."""
    rng = rng_for(seed, "budget", district.code, year)
    if district.code == SA_DEC and year == 2023:
        plan = SA_DEC_PLAN_2023
        shares = list(_SA_DEC_2023_SHARES)
    else:
        low, high = (40_000, 120_000) if district.code == "576" else (150_000, 850_000)
        plan = _money(rng.uniform(low, high))
        q1 = rng.uniform(0.04, 0.14)
        q2 = q1 + rng.uniform(0.12, 0.25)
        q3 = q2 + rng.uniform(0.15, 0.28)
        q4 = max(q3 + 0.05, rng.uniform(0.82, 0.99))
        shares = [Decimal(str(round(s, 4))) for s in (q1, q2, q3, min(q4, 0.99))]
    rows = [
        BudgetRow(district.code, district.name, year, date(year, m, d), plan, (plan * s).quantize(_MILLI))
        for (m, d), s in zip(QUARTER_ENDS, shares, strict=True)
    ]
    if district.code == SA_DEC and year == 2023:
        as_of, disbursed = SA_DEC_AUG_2023
        rows.append(BudgetRow(district.code, district.name, year, as_of, plan, disbursed))
        rows.sort(key=lambda r: r.as_of)
    return rows


def budget_csv(rows: Sequence[BudgetRow]) -> bytes:
    return csv_bytes(
        HEADER,
        (
            [
                r.unit_code,
                r.unit_name,
                r.fiscal_year,
                vn_date(r.as_of),
                vn_decimal(r.plan_mvnd),
                vn_decimal(r.disbursed_mvnd),
            ]
            for r in rows
        ),
    )
