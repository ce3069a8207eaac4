"""Staffing quotas and actual staff at 31/12 (family `staff`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from openpyxl.utils import get_column_letter

from demo._common import BOLD, CENTER, new_workbook, rng_for, vn_date, xls_bytes, xlsx_bytes
from demo.units import District

CATEGORIES: tuple[str, ...] = (
    "Cán bộ",
    "Công chức",
    "Viên chức giáo dục",
    "Viên chức y tế",
    "Viên chức khác",
    "Hợp đồng",
)
HEADER = ("STT", "Mã đơn vị", "Đơn vị", "Ngày số liệu", "Loại", "Biên chế được giao", "Có mặt")

# Seed 004 (An Lão, Bình Định, 6 tháng đầu năm 2023): "733 biên chế" = công chức 75 +
# sự nghiệp (GD&ĐT 598, VH-TT 21, khác 38) = 732.  Công chức went 76 (2022) -> 75 (2023).
AN_LAO = "542"
AN_LAO_QUOTAS = {"Công chức": 75, "Viên chức giáo dục": 598, "Viên chức khác": 59}
AN_LAO_STATED_TOTAL = 733


@dataclass(frozen=True)
class StaffRow:
    unit_code: str
    unit_name: str
    as_of: date
    category: str
    quota: int
    actual: int


def district_staff(seed: int, district: District, years: Sequence[int]) -> list[StaffRow]:
    """Per year and category; quotas shrink slowly (downsizing), actual ≤ quota mostly."""
    rng = rng_for(seed, "staff", district.code)
    size = len(district.communes)
    base = {
        "Cán bộ": rng.randint(9, 14),
        "Công chức": rng.randint(62, 95),
        "Viên chức giáo dục": round(size * rng.uniform(45, 80)) + rng.randint(150, 350),
        "Viên chức y tế": rng.randint(60, 220),
        "Viên chức khác": rng.randint(30, 75),
        "Hợp đồng": rng.randint(18, 60),
    }
    if district.code == "576":  # Trường Sa: a handful of posts
        base = {c: max(1, v // 12) for c, v in base.items()}
    out: list[StaffRow] = []
    for i, year in enumerate(years):
        quotas = {c: max(1, round(v * (1 - 0.012 * i))) for c, v in base.items()}
        if district.code == AN_LAO:
            quotas.update(AN_LAO_QUOTAS)
            quotas["Công chức"] = 76 if year < 2023 else 75
        for cat in CATEGORIES:
            q = quotas[cat]
            fill = rng.uniform(0.9, 1.0) if cat != "Hợp đồng" else rng.uniform(0.85, 1.0)
            out.append(StaffRow(district.code, district.name, date(year, 12, 31), cat, q, round(q * fill)))
    return out


def staff_xlsx(
    titles: Sequence[str],
    rows: Sequence[StaffRow],
    *,
    stated_quota_total: int | None = None,
) -> bytes:
    """Title rows, blank row, header, one row per unit × category, a 'Cộng' row."""
    wb, ws = new_workbook("Biên chế")
    ncols = len(HEADER)
    for i, title in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=title).font = BOLD
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)
        ws.cell(row=i, column=1).alignment = CENTER
    h = len(titles) + 2
    for c, label in enumerate(HEADER, start=1):
        cell = ws.cell(row=h, column=c, value=label)
        cell.font = BOLD
        cell.alignment = CENTER
    r = h + 1
    for stt, row in enumerate(rows, start=1):
        values = [
            stt,
            int(row.unit_code),
            row.unit_name,
            vn_date(row.as_of),
            row.category,
            row.quota,
            row.actual,
        ]
        for c, v in enumerate(values, start=1):
            ws.cell(row=r, column=c, value=v)
        r += 1
    quota_total = sum(x.quota for x in rows) if stated_quota_total is None else stated_quota_total
    ws.cell(row=r, column=1, value="Cộng").font = BOLD
    ws.cell(row=r, column=6, value=quota_total).font = BOLD
    ws.cell(row=r, column=7, value=sum(x.actual for x in rows)).font = BOLD
    for c, w in enumerate((6, 10, 28, 13, 20, 12, 10), start=1):
        ws.column_dimensions[get_column_letter(c)].width = w
    return xlsx_bytes(wb)


def staff_xls(titles: Sequence[str], rows: Sequence[StaffRow]) -> bytes:
    """The same table as :func:`staff_xlsx` saved as Excel 97–2003 (``.xls``), as older
    office software still writes it: merged title rows, a blank row, the header, one row per
    unit × category, a 'Cộng' row."""
    import xlwt

    wb = xlwt.Workbook(encoding="utf-8")
    ws = wb.add_sheet("Biên chế")
    grid = "borders: left thin, right thin, top thin, bottom thin"
    title = xlwt.easyxf("font: bold on; align: horiz center, vert center, wrap on")
    head = xlwt.easyxf(f"font: bold on; align: horiz center, vert center, wrap on; {grid}")
    cell = xlwt.easyxf(grid)
    number = xlwt.easyxf(grid, num_format_str="#,##0")
    bold_number = xlwt.easyxf(f"font: bold on; {grid}", num_format_str="#,##0")
    ncols = len(HEADER)
    for i, text in enumerate(titles):
        ws.write_merge(i, i, 0, ncols - 1, text, title)
    h = len(titles) + 1  # 0-based: one blank row after the titles
    for c, label in enumerate(HEADER):
        ws.write(h, c, label, head)
    r = h + 1
    for stt, row in enumerate(rows, start=1):
        values = [
            stt,
            int(row.unit_code),
            row.unit_name,
            vn_date(row.as_of),
            row.category,
            row.quota,
            row.actual,
        ]
        for c, v in enumerate(values):
            ws.write(r, c, v, number if c >= 5 else cell)
        r += 1
    ws.write(r, 0, "Cộng", xlwt.easyxf("font: bold on"))
    ws.write(r, 5, sum(x.quota for x in rows), bold_number)
    ws.write(r, 6, sum(x.actual for x in rows), bold_number)
    for c, w in enumerate((6, 10, 28, 13, 20, 12, 10)):
        ws.col(c).width = 256 * w
    return xls_bytes(wb)
