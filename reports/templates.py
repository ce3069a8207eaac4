"""Excel submission templates per source family, prefilled with a province's units.

The headers are labels of ``ingest/aliases/*.yaml``; cells carry data validation; a
"Tổng cộng" row sums the columns with formulas. openpyxl writes formulas without cached
values, so until the file is opened and saved in Excel/LibreOffice the ingest reads the
totals row as empty and skips it like any row without figures; once saved, the cached
totals equal the parts and the ingest's stated-total check passes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from openpyxl import Workbook
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ingest.periods import Period, parse_period
from reports import queries as q
from reports import styles as st

REFORM_DATE = date(2025, 7, 1)
HEADER_ROW = 4
STAFF_CATEGORIES = (
    "Cán bộ",
    "Công chức",
    "Viên chức giáo dục",
    "Viên chức y tế",
    "Viên chức khác",
    "Hợp đồng",
)
LEVEL_LABEL = {"huyen": "Cấp huyện", "xa": "Cấp xã", "tinh": "Cấp tỉnh"}
KIND_LEVEL = {"district": "huyen", "commune": "xa", "province": "tinh"}


@dataclass(frozen=True)
class Column:
    header: str  # an alias label the ingest accepts
    kind: str  # text, code, period, level, category, int, money, date, year
    width: float = 14


COMMON = [Column("STT", "text", 6), Column("Mã đơn vị", "code", 11), Column("Đơn vị", "text", 34)]
SOURCES: dict[str, tuple[str, list[Column]]] = {
    "dossiers": (
        "BIỂU THỐNG KÊ TÌNH HÌNH GIẢI QUYẾT HỒ SƠ THỦ TỤC HÀNH CHÍNH",
        [
            *COMMON,
            Column("Kỳ báo cáo", "period", 11),
            Column("Cấp", "level", 11),
            Column("Kỳ trước chuyển qua", "int"),
            Column("Tiếp nhận mới", "int"),
            Column("Trong đó: trực tuyến", "int"),
            Column("Bưu chính công ích", "int"),
            Column("Đã giải quyết", "int"),
            Column("Trước hạn", "int"),
            Column("Đúng hạn", "int"),
            Column("Trễ hạn", "int"),
            Column("Chưa đến hạn", "int"),
            Column("Đang giải quyết Quá hạn", "int"),
        ],
    ),
    "staff": (
        "BIỂU THỐNG KÊ BIÊN CHẾ CÁN BỘ, CÔNG CHỨC, VIÊN CHỨC",
        [
            *COMMON,
            Column("Ngày số liệu", "date", 13),
            Column("Loại", "category", 20),
            Column("Biên chế được giao", "int"),
            Column("Có mặt", "int"),
        ],
    ),
    "budget": (
        "BIỂU TỔNG HỢP GIẢI NGÂN VỐN ĐẦU TƯ CÔNG",
        [
            *COMMON,
            Column("Năm ngân sách", "year", 10),
            Column("Tính đến ngày", "date", 13),
            Column("Kế hoạch vốn giao (triệu đồng)", "money", 18),
            Column("Đã giải ngân (triệu đồng)", "money", 18),
        ],
    ),
    "surveys": (
        "BIỂU TỔNG HỢP KẾT QUẢ KHẢO SÁT MỨC ĐỘ HÀI LÒNG",
        [
            *COMMON,
            Column("Kỳ báo cáo", "period", 11),
            Column("Cấp", "level", 11),
            Column("Số phiếu khảo sát", "int"),
            Column("Số phiếu hài lòng", "int"),
        ],
    ),
}
TEMPLATE_SOURCES = tuple(SOURCES)
# Row checks shown as a red fill (conditional formatting): header → formula on the row.
BALANCE = {
    "dossiers": "OR({c[Kỳ trước chuyển qua]}+{c[Tiếp nhận mới]}<>{c[Đã giải quyết]}+{c[Chưa đến hạn]}"
    "+{c[Đang giải quyết Quá hạn]},{c[Đã giải quyết]}<>{c[Trước hạn]}+{c[Đúng hạn]}+{c[Trễ hạn]},"
    "{c[Trong đó: trực tuyến]}+{c[Bưu chính công ích]}>{c[Tiếp nhận mới]})",
    "staff": "FALSE",
    "budget": "{c[Đã giải ngân (triệu đồng)]}>{c[Kế hoạch vốn giao (triệu đồng)]}",
    "surveys": "{c[Số phiếu hài lòng]}>{c[Số phiếu khảo sát]}",
}
INSTRUCTIONS = {
    "dossiers": "Kỳ trước chuyển qua + Tiếp nhận mới = Đã giải quyết + Chưa đến hạn + Đang giải quyết quá hạn;"  # noqa: E501
    " Đã giải quyết = Trước hạn + Đúng hạn + Trễ hạn.",
    "staff": "Mỗi đơn vị một dòng cho mỗi loại biên chế; số nguyên ≥ 0.",
    "budget": "Số tiền tính bằng triệu đồng, lũy kế từ đầu năm đến ngày số liệu.",
    "surveys": "Số phiếu hài lòng (hài lòng và rất hài lòng) không lớn hơn số phiếu khảo sát.",
}


def _units(
    units_db: Path, province: str, period: Period, source: str
) -> tuple[q.Row, list[tuple[q.Row, str]]]:
    """The province and its (unit, authority level) rows, legacy or current by the period end."""
    era = "legacy" if period.end < REFORM_DATE else "current"
    with q.connect(units_db) as con:
        prov = q.resolve_province(con, province, era)
        if prov["admin_era"] != era:
            raise ValueError(
                f"{prov['unit_name']} ({prov['unit_code']}) is a {prov['admin_era']} province but the period"
                f" {period.label} needs a {era} one (the reorganisation took effect on 1 July 2025)"
            )
        found = q.rows(
            con,
            """select u.unit_code, u.gso_code, u.unit_name, u.unit_kind,
                      coalesce(case when u.unit_kind = 'commune' then u.parent_code end, u.unit_code) as grp
               from marts.dim_admin_units u
               where u.province_code = ? and u.admin_era = ? and u.unit_kind in ('district', 'commune')
                 and (u.valid_from is null or u.valid_from <= ?) and (u.valid_to is null or u.valid_to >= ?)
               order by grp, u.unit_kind = 'commune', u.unit_name, u.unit_code""",
            [prov["unit_code"], era, period.end, period.end],
        )
    has_districts = any(u["unit_kind"] == "district" for u in found)
    rows: list[tuple[q.Row, str]] = []
    for u in found:
        level = KIND_LEVEL[u["unit_kind"]]
        if source in ("staff", "budget") and has_districts and u["unit_kind"] == "commune":
            continue  # staff and budget are reported by districts while districts exist
        if source == "staff":
            rows += [(u, cat) for cat in STAFF_CATEGORIES]
        else:
            rows.append((u, level))
    return prov, rows


def _slug(text: str) -> str:
    return "_".join(q.fold(text).replace("/", " ").split())


def _validations(ws: Worksheet, cols: list[Column], first: int, last: int) -> None:
    def add(dv: DataValidation, kind: str) -> None:
        refs = [
            f"{get_column_letter(i)}{first}:{get_column_letter(i)}{last}"
            for i, c in enumerate(cols, start=1)
            if c.kind == kind
        ]
        if refs:
            dv.sqref = " ".join(refs)  # type: ignore[assignment]
            ws.add_data_validation(dv)

    err = {"showErrorMessage": True, "errorTitle": "Giá trị không hợp lệ"}
    add(
        DataValidation(
            type="whole",
            operator="greaterThanOrEqual",
            formula1="0",
            error="Nhập số nguyên không âm (≥ 0).",
            **err,
        ),
        "int",
    )
    add(
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            error="Nhập số không âm, đơn vị triệu đồng.",
            **err,
        ),
        "money",
    )
    add(
        DataValidation(
            type="date",
            operator="between",
            formula1="DATE(2000,1,1)",
            formula2="DATE(2100,12,31)",
            error="Nhập ngày (dd/mm/yyyy).",
            **err,
        ),
        "date",
    )
    add(
        DataValidation(
            type="whole",
            operator="between",
            formula1="2000",
            formula2="2100",
            error="Nhập năm ngân sách, ví dụ 2023.",
            **err,
        ),
        "year",
    )
    add(DataValidation(type="list", formula1='"' + ",".join(STAFF_CATEGORIES) + '"', **err), "category")
    add(DataValidation(type="list", formula1='"Cấp tỉnh,Cấp huyện,Cấp xã"', **err), "level")


def write_template(
    source: str, out_path_dir: Path, *, province: str, period: str | None, units_db: Path
) -> Path:
    """Write ``bieu_<source>_<province>_<period>.xlsx`` into ``out_path_dir`` and return it.

    ``source``: dossiers, staff, budget or surveys (record-level dossier exports come from
    the one-stop-shop software and have no template). ``period``: a label or text the ingest
    reads (``2023``, ``2023-H1``, ``Quý 3/2023``); default the previous calendar year.
    ``units_db``: the published DuckDB, read-only, for ``dim_admin_units``.
    """
    if source not in SOURCES:
        raise ValueError(
            f"no template for {source!r}: choose one of {', '.join(SOURCES)}"
            " (dossier_records are exports of the one-stop-shop software)"
        )
    per = parse_period(period) if period else Period.year(date.today().year - 1)
    prov, unit_rows = _units(Path(units_db), province, per, source)
    title, cols = SOURCES[source]
    wb = Workbook()
    ws = wb.active
    ws.title = "Biểu nhập"
    ws.cell(row=1, column=1, value=f"{title} — {prov['unit_name'].upper()}").font = st.TITLE
    ws.cell(
        row=2, column=1, value=f"Kỳ báo cáo: {per.label} (từ {per.start:%d/%m/%Y} đến {per.end:%d/%m/%Y})"
    )
    st.write_header(ws, HEADER_ROW, [c.header for c in cols])
    first = HEADER_ROW + 1
    for i, (unit, extra) in enumerate(unit_rows):
        r = first + i
        for j, c in enumerate(cols, start=1):
            cell = ws.cell(row=r, column=j)
            if c.header == "STT":
                cell.value = i + 1
            elif c.kind == "code":
                cell.value = unit["gso_code"]
                cell.number_format = "@"
            elif c.header == "Đơn vị":
                cell.value = unit["unit_name"]
            elif c.kind == "period":
                cell.value = per.label
                cell.number_format = "@"
            elif c.kind == "level":
                cell.value = LEVEL_LABEL[extra]
            elif c.kind == "category":
                cell.value = extra
            elif c.kind == "date":
                cell.value = per.end
                cell.number_format = st.DATE
            elif c.kind == "year":
                cell.value = per.end.year
            elif c.kind == "int":
                cell.number_format = st.INT
            elif c.kind == "money":
                cell.number_format = st.DEC3
    last = first + len(unit_rows) - 1
    total_row = last + 1
    ws.cell(row=total_row, column=3, value="Tổng cộng").font = st.BOLD
    for j, c in enumerate(cols, start=1):
        cell = ws.cell(row=total_row, column=j)
        cell.fill = st.TOTAL_FILL
        if c.kind in ("int", "money"):
            letter = get_column_letter(j)
            cell.value = f"=SUM({letter}{first}:{letter}{last})"
            cell.number_format = st.INT if c.kind == "int" else st.DEC3
            cell.font = st.BOLD
    st.grid(ws, first, total_row, len(cols))
    _validations(ws, cols, first, last)
    letters = {c.header: f"${get_column_letter(j)}{first}" for j, c in enumerate(cols, start=1)}
    measure_refs = [letters[c.header] for c in cols if c.kind in ("int", "money")]
    rule = BALANCE[source].format(c=letters)
    if rule != "FALSE":
        ws.conditional_formatting.add(
            f"A{first}:{get_column_letter(len(cols))}{last}",
            FormulaRule(
                formula=[f"AND(COUNT({measure_refs[0]}:{measure_refs[-1]})>0,{rule})"],
                fill=PatternFill("solid", fgColor="F4CCCC"),
            ),
        )
    note = ws.cell(
        row=total_row + 2,
        column=1,
        value=f"Ghi chú: {INSTRUCTIONS[source]} Không sửa dòng tiêu đề"
        " và cột Mã đơn vị; để trống các đơn vị không có số liệu.",
    )
    note.font = Font(italic=True)
    for j, c in enumerate(cols, start=1):
        ws.column_dimensions[get_column_letter(j)].width = c.width
    ws.freeze_panes = ws.cell(row=first, column=4)
    st.print_setup(ws, HEADER_ROW)
    out_dir = Path(out_path_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = prov["short_name"] or prov["unit_name"]
    path = out_dir / f"bieu_{source}_{_slug(name)}_{per.label}.xlsx"
    wb.save(path)
    return path
