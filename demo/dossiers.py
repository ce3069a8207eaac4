"""Aggregated dossier statistics (family `dossiers`): model and file writers."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from openpyxl.utils import get_column_letter

from demo._common import (
    BOLD,
    CENTER,
    new_workbook,
    rng_for,
    vn_int,
    xlsx_bytes,
)
from demo.figures import DossierFigures, total
from demo.units import Commune, District, Province

YEARS: tuple[int, ...] = (2021, 2022, 2023)
LEVEL_XLSX = {"huyen": "Cấp huyện", "xa": "Cấp xã"}
LEVEL_CSV = {"huyen": "huyện", "xa": "xã"}
# Island district: a few hundred dossiers a year, not tens of thousands.
SMALL_DISTRICTS = frozenset({"576"})

_YEAR_FACTOR = {2021: 0.9, 2022: 1.0, 2023: 1.06}
_ONLINE = {
    "huyen": {2021: (0.06, 0.2), 2022: (0.18, 0.38), 2023: (0.35, 0.6)},
    "xa": {2021: (0.03, 0.15), 2022: (0.12, 0.3), 2023: (0.25, 0.5)},
}
_PENDING = {"huyen": (0.01, 0.04), "xa": (0.0, 0.012)}
_OVERDUE = {"huyen": (0.0, 0.2), "xa": (0.0, 0.1)}
_LATE = {"huyen": (0.0005, 0.035), "xa": (0.0, 0.01)}


@dataclass(frozen=True)
class DossierRow:
    unit_code: str | None  # plain GSO code, None in name-based files
    unit_name: str
    level: str  # "huyen" | "xa"
    figures: DossierFigures


def _base_volume(seed: int, code: str, level: str, kind: str, district_code: str) -> float:
    rng = rng_for(seed, "dossier-volume", code)
    if district_code in SMALL_DISTRICTS:
        return rng.uniform(150, 450) if level == "huyen" else rng.uniform(15, 60)
    if level == "huyen":
        low, high = {"Thành phố": (28_000, 52_000), "Thị xã": (18_000, 40_000)}.get(kind, (10_000, 32_000))
    else:
        low, high = {"Phường": (1_200, 3_600), "Thị trấn": (900, 2_800)}.get(kind, (350, 2_000))
    return rng.uniform(low, high)


def simulate_unit(
    seed: int,
    code: str,
    level: str,
    kind: str,
    district_code: str,
    *,
    zero_pending_years: frozenset[int] = frozenset(),
) -> dict[int, DossierFigures]:
    """Yearly figures 2021–2023 for one unit; carried-in of a year = pending of the previous one."""
    base = _base_volume(seed, code, level, kind, district_code)
    rng = rng_for(seed, "dossier-years", code)
    carried = round(base * rng.uniform(0.005, 0.03))
    out: dict[int, DossierFigures] = {}
    for year in YEARS:
        received = round(base * _YEAR_FACTOR[year] * rng.uniform(0.95, 1.05))
        online = round(received * rng.uniform(*_ONLINE[level][year]))
        postal = min(received - online, round(received * rng.uniform(0.005, 0.03)))
        pending = round(received * rng.uniform(*_PENDING[level]))
        late_rate = rng.uniform(*_LATE[level])
        early_share = rng.uniform(0.55, 0.9)
        overdue_share = rng.uniform(*_OVERDUE[level])
        if year in zero_pending_years:
            pending = 0
        resolved = carried + received - pending
        late = round(resolved * late_rate)
        early = round((resolved - late) * early_share)
        overdue = round(pending * overdue_share)
        out[year] = DossierFigures(
            carried_in=carried,
            received=received,
            received_online=online,
            received_postal=postal,
            resolved_early=early,
            resolved_on_time=resolved - late - early,
            resolved_late=late,
            pending_not_due=pending - overdue,
            pending_overdue=overdue,
        )
        carried = pending
    return out


def province_rows(
    seed: int,
    province: Province,
    overrides: Mapping[tuple[str, int], DossierFigures],
    zero_pending: Mapping[str, frozenset[int]],
) -> dict[int, list[DossierRow]]:
    """Rows per year: each district row followed by its communes' rows, in GSO order."""
    per_year: dict[int, list[DossierRow]] = {y: [] for y in YEARS}

    def add(code: str, name: str, level: str, kind: str, district: District) -> None:
        sim = simulate_unit(
            seed,
            code,
            level,
            kind,
            district.code,
            zero_pending_years=zero_pending.get(code, frozenset()),
        )
        for year in YEARS:
            fig = overrides.get((code, year), sim[year])
            per_year[year].append(DossierRow(code, name, level, fig))

    for d in province.districts:
        add(d.code, d.name, "huyen", d.kind, d)
        c: Commune
        for c in d.communes:
            add(c.code, c.name, "xa", c.kind, d)
    return per_year


# ---------------------------------------------------------------- writers

_NUMBER_FIELDS = (
    "carried_in",
    "received",
    "received_online",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending_not_due",
    "pending_overdue",
)
_SINGLE_HEADERS = (
    "Kỳ trước chuyển qua",
    "Tiếp nhận mới",
    "Trực tuyến",
    "Bưu chính công ích",
)
_GROUPS = (
    ("Đã giải quyết", ("Tổng số", "Trước hạn", "Đúng hạn", "Trễ hạn")),
    ("Đang giải quyết", ("Chưa đến hạn", "Quá hạn")),
)

CellOverrides = Mapping[tuple[str, str], str]  # (unit name, field) -> text typed into the cell


def _values(fig: DossierFigures) -> list[int]:
    return list(fig.as_tuple())


def dossier_xlsx(
    titles: Sequence[str],
    rows: Sequence[DossierRow],
    *,
    with_code: bool = True,
    cell_overrides: CellOverrides | None = None,
    sheet_title: str = "TTHC",
) -> bytes:
    """Title rows, a blank row, a two-row grouped header, one row per unit, 'Tổng cộng'."""
    wb, ws = new_workbook(sheet_title)
    cell_overrides = cell_overrides or {}
    lead = ["STT", "Mã đơn vị", "Đơn vị", "Cấp"] if with_code else ["STT", "Đơn vị", "Cấp"]
    singles = [*lead, *_SINGLE_HEADERS]
    ncols = len(singles) + sum(len(subs) for _, subs in _GROUPS)
    for i, title in enumerate(titles, start=1):
        ws.cell(row=i, column=1, value=title).font = BOLD
        ws.merge_cells(start_row=i, start_column=1, end_row=i, end_column=ncols)
        ws.cell(row=i, column=1).alignment = CENTER
    h1 = len(titles) + 2  # one blank row after the titles
    h2 = h1 + 1
    col = 1
    for label in singles:
        ws.cell(row=h1, column=col, value=label)
        ws.merge_cells(start_row=h1, start_column=col, end_row=h2, end_column=col)
        col += 1
    for group, subs in _GROUPS:
        ws.cell(row=h1, column=col, value=group)
        ws.merge_cells(start_row=h1, start_column=col, end_row=h1, end_column=col + len(subs) - 1)
        for j, sub in enumerate(subs):
            ws.cell(row=h2, column=col + j, value=sub)
        col += len(subs)
    for r in (h1, h2):
        for c in range(1, ncols + 1):
            ws.cell(row=r, column=c).font = BOLD
            ws.cell(row=r, column=c).alignment = CENTER
    r = h2 + 1
    for stt, row in enumerate(rows, start=1):
        lead_values: list[object] = [stt]
        if with_code:
            lead_values.append(int(row.unit_code) if row.unit_code else None)
        lead_values += [row.unit_name, LEVEL_XLSX[row.level]]
        values: list[object] = list(_values(row.figures))
        for k, fname in enumerate(_NUMBER_FIELDS):
            if (row.unit_name, fname) in cell_overrides:
                values[k] = cell_overrides[(row.unit_name, fname)]
        for c, v in enumerate([*lead_values, *values], start=1):
            cell = ws.cell(row=r, column=c, value=v)
            if c > len(lead_values) and isinstance(v, int):
                cell.number_format = "#,##0"
        r += 1
    tot = total([row.figures for row in rows])
    ws.cell(row=r, column=1, value="Tổng cộng").font = BOLD
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=len(lead))
    for k, v in enumerate(_values(tot)):
        cell = ws.cell(row=r, column=len(lead) + 1 + k, value=v)
        cell.number_format = "#,##0"
        cell.font = BOLD
    widths = {"STT": 6, "Mã đơn vị": 10, "Đơn vị": 28, "Cấp": 11}
    for c, label in enumerate(singles, start=1):
        ws.column_dimensions[get_column_letter(c)].width = widths.get(label, 13)
    for c in range(len(singles) + 1, ncols + 1):
        ws.column_dimensions[get_column_letter(c)].width = 12
    ws.freeze_panes = ws.cell(row=h2 + 1, column=len(lead) + 1)
    return xlsx_bytes(wb)


CSV_HEADER = (
    "Mã đơn vị",
    "Đơn vị",
    "Tỉnh",
    "Kỳ báo cáo",
    "Cấp",
    "Kỳ trước chuyển qua",
    "Tiếp nhận mới",
    "Trực tuyến",
    "Bưu chính công ích",
    "Đã giải quyết",
    "Trước hạn",
    "Đúng hạn",
    "Trễ hạn",
    "Đang giải quyết chưa đến hạn",
    "Đang giải quyết quá hạn",
)


# Columns a one-stop system adds when it counts withdrawn and stopped dossiers apart.
STATUS_CSV_HEADER = ("Công dân rút hồ sơ", "Dừng xử lý")


def with_statuses(seed: int, rows: Sequence[DossierRow]) -> list[DossierRow]:
    """Rows where a few dossiers counted resolved were withdrawn by the applicant or stopped
    (deterministic shares of a few per thousand); every row still balances."""
    out: list[DossierRow] = []
    for row in rows:
        rng = rng_for(seed, "dossier-statuses", row.unit_code or row.unit_name)
        f = row.figures
        withdrawn = round(f.resolved * rng.uniform(0.001, 0.004))
        stopped = round(f.resolved * rng.uniform(0.0, 0.0015))
        out.append(replace(row, figures=f.with_withdrawn_and_stopped(withdrawn, stopped)))
    return out


def dossier_csv_rows(
    province_short: str, period_text: str, rows: Sequence[DossierRow], *, statuses: bool = False
) -> list[list[str]]:
    """CSV rows under :data:`CSV_HEADER` (and :data:`STATUS_CSV_HEADER` with ``statuses``)."""

    def numbers(f: DossierFigures) -> list[str]:
        values = [*f.as_tuple(), *((f.withdrawn, f.stopped) if statuses else ())]
        return [vn_int(v) for v in values]

    out: list[list[str]] = []
    for row in rows:
        out.append(
            [
                row.unit_code or "",
                row.unit_name,
                province_short,
                period_text,
                LEVEL_CSV[row.level],
                *numbers(row.figures),
            ]
        )
    t = total([row.figures for row in rows])
    out.append(["", "Tổng cộng", "", "", "", *numbers(t)])
    return out
