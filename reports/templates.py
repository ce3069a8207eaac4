"""Excel submission templates per source family, prefilled with a province's units.

``dossiers`` is the official form every one-stop shop reports on, Biểu số II.06a/VPCP/KSTT
(Thông tư 01/2020/TT-VPCP): the title block (reporting unit, "Kỳ báo cáo" in words and as
"Từ ngày … đến ngày …", "Đơn vị tính"), three merged header rows and the numbering row
1…13, a section row per authority level the province has on the period's dates ("Sở ban
ngành"; "Huyện, thị xã, thành phố" and "Xã, phường, thị trấn" before 1 July 2025, "Xã,
phường, đặc khu" after), one row per unit under its section (empty field rows under "Sở
ban ngành": provincial departments are not in the unit lists) and a closing "Tổng số" row.
Each header column is declared with the measure it stands for, and the vocabulary
(``ingest/vocabulary.yaml``) must read the form's wording as that measure.

``staff``, ``budget`` and ``surveys`` are flat tables whose headers are labels of
``ingest/aliases/*.yaml``.

``self_assessment`` (Biểu tự đánh giá, chấm điểm Chỉ số CCHC) is written from the rubric in
force for a province, unit and year rather than from the published units:
:func:`reports.self_assessment_template.write_self_assessment_template`.

Cells carry data validation; section and totals rows sum with formulas. openpyxl writes
formulas without cached values, so until the file is opened and saved in Excel/LibreOffice
the ingest reads those rows as empty; once saved, the cached sums equal the parts and the
ingest's stated-total checks pass.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.comments import Comment
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from expectations.rules import load_catalogue
from ingest import vocabulary as vocab
from ingest.periods import Period, parse_period
from ingest.text import fold_keep_punct
from reports import queries as q
from reports import styles as st
from reports.self_assessment_template import SOURCE as SELF_ASSESSMENT
from reports.self_assessment_template import write_self_assessment_template
from settings import Settings

REFORM_DATE = vocab.reorganisation_date()
HEADER_ROW = 4  # the flat templates' header row
STAFF_CATEGORIES = tuple(t.vi for t in vocab.terms("staff_categories").values())
LEVEL_LABEL = {code: t.vi for code, t in vocab.terms("authority_levels").items()}  # Cấp tỉnh …
KIND_LEVEL = vocab.kind_levels()
WRONG_FILL = PatternFill("solid", fgColor="F4CCCC")


@dataclass(frozen=True)
class Column:
    header: str  # an alias label the ingest accepts
    kind: str  # text, code, period, level, category, int, money, date, year
    width: float = 14


COMMON = [Column("STT", "text", 6), Column("Mã đơn vị", "code", 11), Column("Đơn vị", "text", 34)]
SOURCES: dict[str, tuple[str, list[Column]]] = {
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
TEMPLATE_SOURCES = ("dossiers", *SOURCES)
#: templates written from a rubric and a year (reports/self_assessment_template.py), not
#: from the published units of a period
RUBRIC_TEMPLATES = (SELF_ASSESSMENT,)
TEMPLATE_KINDS = (*TEMPLATE_SOURCES, *RUBRIC_TEMPLATES)
#: the template cell rules of the rule catalogue (expectations/rules.yaml): the data
#: validation of each column kind and the row checks shown as a red fill
CELL_RULES = load_catalogue()["template_cell_rules"]
CELL_VALIDATIONS: dict[str, dict[str, Any]] = {c["cell"]: c for c in CELL_RULES["cells"]}
# Row checks shown as a red fill (conditional formatting): header → formula on the row.
BALANCE = {"staff": "FALSE"} | {
    r["source"]: r["red_when"] for r in CELL_RULES["rows"] if r["source"] in SOURCES
}
INSTRUCTIONS = {
    "staff": "Mỗi đơn vị một dòng cho mỗi loại biên chế; số nguyên ≥ 0.",
    "budget": "Số tiền tính bằng triệu đồng, lũy kế từ đầu năm đến ngày số liệu.",
    "surveys": "Số phiếu hài lòng (hài lòng và rất hài lòng) không lớn hơn số phiếu khảo sát.",
}


# --- periods --------------------------------------------------------------------------------


def _month_end(year: int, month: int) -> date:
    return date(year, month, calendar.monthrange(year, month)[1])


def spans_reorganisation(period: Period) -> bool:
    """Whether a period starts under the legacy units and ends under the current ones (no
    unit is valid on all its dates: the quality gate would reject every row)."""
    return period.start < REFORM_DATE <= period.end


def default_period(today: date) -> Period:
    """The previous calendar year; when it spans the reorganisation of 1 July 2025 (2025,
    asked for in 2026), the current year up to the end of its last complete quarter (the
    reports are cumulative from 1 January), or before the first quarter ends the previous
    year from 1 July (the current units' part of it)."""
    last = Period.year(today.year - 1)
    if not spans_reorganisation(last):
        return last
    quarters = (today.month - 1) // 3
    if quarters:
        return Period(date(today.year, 1, 1), _month_end(today.year, 3 * quarters))
    return Period(REFORM_DATE, last.end)


_ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def period_words(period: Period) -> str:
    """A period as reports write it: "Năm 2018", "6 tháng đầu năm 2023", "Quý III năm 2023",
    "Tháng 6 năm 2023", "9 tháng đầu năm 2026", "Từ đầu năm đến ngày 25/08/2023"."""
    start, end, kind = period.start, period.end, period.kind
    if kind == "year":
        return f"Năm {end.year}"
    if kind == "half":
        return f"6 tháng {'đầu' if start.month == 1 else 'cuối'} năm {end.year}"
    if kind == "quarter":
        return f"Quý {_ROMAN[(start.month - 1) // 3]} năm {end.year}"
    if kind == "month":
        return f"Tháng {end.month} năm {end.year}"
    if end == _month_end(end.year, end.month):
        return f"{end.month} tháng đầu năm {end.year}"
    return f"Từ đầu năm đến ngày {end:%d/%m/%Y}"


def reporting_period_line(period: Period) -> str:
    """ "Kỳ báo cáo: Năm 2018 (Từ ngày 01/01/2018 đến ngày 31/12/2018)"."""
    return (
        f"Kỳ báo cáo: {period_words(period)} (Từ ngày {period.start:%d/%m/%Y} đến ngày {period.end:%d/%m/%Y})"
    )


def _period(period: str | None, today: date | None) -> Period:
    per = parse_period(period) if period else default_period(today or date.today())
    if spans_reorganisation(per):
        y = per.start.year
        raise ValueError(
            f"the period {per.label} ({per.start:%d/%m/%Y}–{per.end:%d/%m/%Y}) spans the"
            " reorganisation of 1 July 2025: the units before it (districts, legacy communes)"
            " and after it (current communes) are each valid on only part of it. Ask for a"
            f" period before it ({y}-H1, legacy units) or after it ({y}-H2 or"
            f" {y + 1}, current units)"
        )
    return per


# --- units ----------------------------------------------------------------------------------


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
            "template_units",
            {
                "province_code": prov["unit_code"],
                "admin_era": era,
                "period_start": period.start,
                "period_end": period.end,
            },
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
    return "_".join(fold_keep_punct(text).replace("/", " ").split())


def _path(out_dir: Path, source: str, prov: q.Row, per: Period) -> Path:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    name = prov["short_name"] or prov["unit_name"]
    return out_dir / f"bieu_{source}_{_slug(name)}_{per.label}.xlsx"


def write_template(
    source: str,
    out_path_dir: Path,
    *,
    province: str,
    period: str | None = None,
    units_db: Path | None = None,
    today: date | None = None,
    year: int | None = None,
    unit: str | None = None,
    settings: Settings | None = None,
) -> Path:
    """Write ``bieu_<source>_<province>_<period>.xlsx`` into ``out_path_dir`` and return it.

    ``source``: dossiers (Biểu số II.06a/VPCP/KSTT), staff, budget or surveys (record-level
    dossier exports come from the one-stop-shop software and have no template). ``period``:
    a label or text the ingest reads (``2023``, ``2023-H1``, ``Quý 3/2023``); a period that
    spans the reorganisation of 1 July 2025 is refused. Default: :func:`default_period` of
    ``today`` (the previous calendar year, or a period after the reorganisation when that
    year spans it). ``units_db``: the published DuckDB, read-only, for ``dim_admin_units``.

    ``self_assessment``: the table a unit scores itself on, from the rubric in force for
    ``province`` (and ``unit``, a name or code) in ``year``, found among the rubric files of
    ``settings`` (shipped and loaded; no published database needed); ``out_path_dir`` may
    also name the .xlsx file to write (reports/self_assessment_template.py).
    """
    if source == SELF_ASSESSMENT:
        if year is None or settings is None:
            raise ValueError(
                "biểu tự đánh giá cần năm đánh giá (--year) / the self_assessment template needs a year"
            )
        path, _ = write_self_assessment_template(
            out_path_dir, settings=settings, province=province, year=year, unit=unit
        )
        return path
    if source not in TEMPLATE_SOURCES:
        raise ValueError(
            f"no template for {source!r}: choose one of {', '.join(TEMPLATE_SOURCES)}"
            " (dossier_records are exports of the one-stop-shop software)"
        )
    if units_db is None:
        raise ValueError(f"the {source} template needs the published database (units_db)")
    per = _period(period, today)
    prov, unit_rows = _units(Path(units_db), province, per, source)
    if source == "dossiers":
        wb = _dossier_form(prov, per, unit_rows)
    else:
        wb = _flat_template(source, prov, per, unit_rows)
    path = _path(out_path_dir, source, prov, per)
    wb.save(path)
    return path


# --- Biểu số II.06a/VPCP/KSTT ---------------------------------------------------------------

FORM_NUMBER = "Biểu số II.06a/VPCP/KSTT"
FORM_TITLE = (
    "TÌNH HÌNH, KẾT QUẢ GIẢI QUYẾT THỦ TỤC HÀNH CHÍNH TẠI CƠ QUAN, ĐƠN VỊ TRỰC TIẾP GIẢI QUYẾT"
    " THỦ TỤC HÀNH CHÍNH"
)
FORM_UNIT_OF_COUNT = "Đơn vị tính: Số hồ sơ TTHC"
FORM_RECIPIENT = "Văn phòng Chính phủ"
FORM_HEADER_DEPTH = 3  # header rows above the numbering row
FIELD_ROWS = 5  # empty rows under "Sở ban ngành" for the provincial fields or departments


@dataclass(frozen=True)
class FormColumn:
    """One column of the form: its labels top to bottom as the form writes them (a group
    label repeated over its columns is one merged cell) and the measure they stand for."""

    labels: tuple[str, ...]
    measure: str | None = None  # a vocabulary dossier measure; None: TT, the row label
    width: float = 11


_RECEIVED, _RESOLVED, _PENDING = (
    "Số hồ sơ nhận giải quyết",
    "Số lượng hồ sơ đã giải quyết",
    "Số lượng hồ sơ đang giải quyết",
)
FORM_COLUMNS: tuple[FormColumn, ...] = (
    FormColumn(("TT",), width=6),
    FormColumn(("Lĩnh vực, công việc giải quyết theo cấp",), width=40),
    FormColumn((_RECEIVED, "Tổng số"), "received_total"),
    FormColumn((_RECEIVED, "Trong đó", "Trực tuyến"), "received_online"),
    FormColumn((_RECEIVED, "Trong đó", "Trực tiếp, dịch vụ bưu chính"), "received_in_person_or_postal"),
    FormColumn((_RECEIVED, "Từ kỳ trước"), "carried_in"),
    FormColumn((_RESOLVED, "Tổng số"), "resolved"),
    FormColumn((_RESOLVED, "Trước hạn"), "resolved_early"),
    FormColumn((_RESOLVED, "Đúng hạn"), "resolved_on_time"),
    FormColumn((_RESOLVED, "Quá hạn"), "resolved_late"),
    FormColumn((_PENDING, "Tổng số"), "pending"),
    FormColumn((_PENDING, "Trong hạn"), "pending_not_due"),
    FormColumn((_PENDING, "Quá hạn"), "pending_overdue"),
)
# The form's identities, by column number: (3) = (4)+(5)+(6), (7) = (8)+(9)+(10),
# (11) = (12)+(13), (3) = (7)+(11).
FORM_IDENTITIES: tuple[tuple[int, tuple[int, ...]], ...] = (
    (3, (4, 5, 6)),
    (7, (8, 9, 10)),
    (11, (12, 13)),
    (3, (7, 11)),
)
# Section rows as the form writes them; the vocabulary must read each as its level.
SECTION_TEXT = {
    ("legacy", "tinh"): "Sở ban ngành",
    ("legacy", "huyen"): "Huyện, thị xã, thành phố",
    ("legacy", "xa"): "Xã, phường, thị trấn",
    ("current", "tinh"): "Sở ban ngành",
    ("current", "xa"): "Xã, phường, đặc khu",
}
LEVEL_ORDER = ("tinh", "huyen", "xa")


def form_measure(labels: tuple[str, ...]) -> str | None:
    """The measure the vocabulary reads a form column's labels as. "Số hồ sơ nhận giải
    quyết / Tổng số" reads as received, and includes what was carried in (column 3 = 4 + 5
    + 6): the form states received_total."""
    measure = vocab.dossier_measure(labels)
    if measure == "received" and vocab.includes_carried_in(labels):
        return "received_total"
    return measure


def check_form_vocabulary() -> None:
    """The form's wording must read, through the vocabulary, as the measures and levels the
    form declares (one vocabulary for the templates and the reader)."""
    wrong = [
        f"{' / '.join(c.labels)} reads as {form_measure(c.labels)}, not {c.measure}"
        for c in FORM_COLUMNS
        if c.measure is not None and form_measure(c.labels) != c.measure
    ]
    wrong += [
        f"section {text!r} reads as {vocab.section_level(text)}, not {level}"
        for (_, level), text in SECTION_TEXT.items()
        if vocab.section_level(text) != level
    ]
    unknown = {c.measure for c in FORM_COLUMNS if c.measure} - set(vocab.DOSSIER_MEASURES)
    wrong += [f"{m} is not a dossier measure of the vocabulary" for m in sorted(unknown)]
    if wrong:
        raise RuntimeError("Biểu II.06a and ingest/vocabulary.yaml disagree: " + "; ".join(wrong))


def _header_merges(columns: tuple[FormColumn, ...], depth: int) -> list[tuple[int, int, int, int, str]]:
    """(first row, first column, last row, last column, text) of each header cell, rows 0…
    depth-1 and columns 0-based: equal labels of adjacent columns under the same parents are
    one cell; a column's last label reaches down to the last header row."""
    cells: list[tuple[int, int, int, int, str]] = []
    for level in range(depth):
        c = 0
        while c < len(columns):
            labels = columns[c].labels
            if level >= len(labels):
                c += 1
                continue
            end = c
            while (
                end + 1 < len(columns)
                and len(columns[end + 1].labels) > level
                and columns[end + 1].labels[: level + 1] == labels[: level + 1]
                and len(labels) > level + 1
            ):
                end += 1
            last_row = level if level + 1 < len(labels) else depth - 1
            cells.append((level, c, last_row, end, labels[level]))
            c = end + 1
    return cells


def _unit_label(unit: q.Row, ambiguous: set[str]) -> str:
    """The unit's name; ", <district>" after a legacy commune whose name another unit of
    the province shares, as the ingest compares names (folded: "Tân Thành" and "Tân Thạnh"
    are one): "Phường 1, Thành phố Cao Lãnh". A current commune has no district to name."""
    name = str(unit["unit_name"])
    shared = fold_keep_punct(name) in ambiguous
    if shared and unit["unit_kind"] == "commune" and unit.get("parent_kind") == "district":
        return f"{name}, {unit['parent_name']}"
    return name


def _ubnd(unit_name: str) -> str:
    """ "Tỉnh Khánh Hòa" → "UBND tỉnh Khánh Hòa"."""
    return f"UBND {unit_name[:1].lower()}{unit_name[1:]}"


def _dossier_form(prov: q.Row, per: Period, unit_rows: list[tuple[q.Row, str]]) -> Workbook:
    check_form_vocabulary()
    era = "legacy" if per.end < REFORM_DATE else "current"
    ncols = len(FORM_COLUMNS)
    last_letter = get_column_letter(ncols)
    wb = Workbook()
    ws = wb.active
    ws.title = "II.06a"

    def line(row: int, text: str, *, font: Font | None = None, align: str = "left") -> None:
        cell = ws.cell(row=row, column=1, value=text)
        ws.merge_cells(start_row=row, start_column=1, end_row=row, end_column=ncols)
        cell.alignment = Alignment(horizontal=align, vertical="center", wrap_text=True)
        if font is not None:
            cell.font = font

    line(1, FORM_NUMBER, font=st.BOLD)
    line(2, f"Đơn vị báo cáo: {_ubnd(str(prov['unit_name']))}", align="right")
    line(3, f"Đơn vị nhận báo cáo: {FORM_RECIPIENT}", align="right")
    line(5, FORM_TITLE, font=st.TITLE, align="center")
    ws.row_dimensions[5].height = 40
    line(6, reporting_period_line(per), font=st.BOLD, align="center")
    line(7, FORM_UNIT_OF_COUNT, font=Font(italic=True), align="right")

    header = 9
    numbering = header + FORM_HEADER_DEPTH
    for r0, c0, r1, c1, text in _header_merges(FORM_COLUMNS, FORM_HEADER_DEPTH):
        cell = ws.cell(row=header + r0, column=c0 + 1, value=text)
        if (r0, c0) != (r1, c1):
            ws.merge_cells(start_row=header + r0, start_column=c0 + 1, end_row=header + r1, end_column=c1 + 1)
    for r in range(header, numbering + 1):
        for c in range(1, ncols + 1):
            cell = ws.cell(row=r, column=c)
            cell.font = st.BOLD
            cell.alignment = st.HEADER_ALIGN
            cell.border = st.BORDER
            cell.fill = st.HEADER_FILL
    for j, col in enumerate(FORM_COLUMNS, start=1):
        ws.cell(row=numbering, column=j, value=j)
        if col.measure:  # the vocabulary's label of the measure, Vietnamese and English
            ws.cell(row=header + len(col.labels) - 1, column=j).comment = Comment(
                f"({j}) {vocab.measure_label(col.measure)} — {vocab.measure_label(col.measure, 'en')}",
                "PAR Warehouse",
            )
    ws.row_dimensions[header].height = 30
    ws.row_dimensions[header + 1].height = 30
    ws.row_dimensions[header + 2].height = 45

    by_level: dict[str, list[q.Row]] = {level: [] for level in LEVEL_ORDER}
    for unit, level in unit_rows:
        by_level[level].append(unit)
    names = [fold_keep_punct(u["unit_name"]) for u, _ in unit_rows]
    ambiguous = {n for n in names if names.count(n) > 1}
    measure_cols = [j for j, c in enumerate(FORM_COLUMNS, start=1) if c.measure]
    first = numbering + 1
    r = first
    section_rows: list[int] = []
    data_ranges: list[tuple[int, int]] = []
    for level in LEVEL_ORDER:
        units = by_level[level]
        if level != "tinh" and not units:
            continue
        section = r
        section_rows.append(section)
        ws.cell(row=section, column=1, value=_ROMAN[len(section_rows) - 1])
        ws.cell(row=section, column=2, value=SECTION_TEXT[(era, level)])
        for c in range(1, ncols + 1):
            ws.cell(row=section, column=c).font = st.BOLD
            ws.cell(row=section, column=c).fill = st.TOTAL_FILL
        r += 1
        if level == "tinh":
            r += FIELD_ROWS  # empty: the departments' fields are typed in
        for i, unit in enumerate(units, start=1):
            ws.cell(row=r, column=1, value=i)
            ws.cell(row=r, column=2, value=_unit_label(unit, ambiguous))
            r += 1
        rows = (section + 1, r - 1)
        data_ranges.append(rows)
        for j in measure_cols:
            letter = get_column_letter(j)
            cell = ws.cell(row=section, column=j, value=f"=SUM({letter}{rows[0]}:{letter}{rows[1]})")
            cell.number_format = st.INT
    total_row = r
    ws.cell(row=total_row, column=2, value="Tổng số")
    for c in range(1, ncols + 1):
        ws.cell(row=total_row, column=c).font = st.BOLD
        ws.cell(row=total_row, column=c).fill = st.TOTAL_FILL
    for j in measure_cols:
        letter = get_column_letter(j)
        ws.cell(row=total_row, column=j, value="=" + "+".join(f"{letter}{s}" for s in section_rows))
        ws.cell(row=total_row, column=j).number_format = st.INT
    for lo, hi in data_ranges:
        for row in range(lo, hi + 1):
            for j in measure_cols:
                ws.cell(row=row, column=j).number_format = st.INT
    st.grid(ws, first, total_row, ncols)

    # whole numbers ≥ 0 in the data rows; the prompt names the column's measure
    for j in measure_cols:
        measure = FORM_COLUMNS[j - 1].measure
        assert measure is not None
        letter = get_column_letter(j)
        counts = CELL_VALIDATIONS["dossier_count"]
        dv = DataValidation(
            **counts["validation"],
            showErrorMessage=True,
            errorTitle=CELL_RULES["error_title"],
            error=counts["error"],
            showInputMessage=True,
            promptTitle=f"({j})"[:32],
            prompt=vocab.measure_label(measure)[:255],
        )
        dv.sqref = " ".join(f"{letter}{lo}:{letter}{hi}" for lo, hi in data_ranges if hi >= lo)  # type: ignore[assignment]
        ws.add_data_validation(dv)
    # a row whose parts do not add up turns red
    ref = {j: f"${get_column_letter(j)}{first}" for j in range(1, ncols + 1)}
    broken = ",".join(f"{ref[t]}<>{'+'.join(ref[p] for p in parts)}" for t, parts in FORM_IDENTITIES)
    ws.conditional_formatting.add(
        f"A{first}:{last_letter}{total_row - 1}",
        FormulaRule(
            formula=[f"AND(COUNT({ref[measure_cols[0]]}:{ref[measure_cols[-1]]})>0,OR({broken}))"],
            fill=WRONG_FILL,
        ),
    )
    identities = "; ".join(f"({t}) = {' + '.join(f'({p})' for p in parts)}" for t, parts in FORM_IDENTITIES)
    note = ws.cell(
        row=total_row + 2,
        column=1,
        value=f"Ghi chú: {identities}. Dòng tiêu đề mục (Sở ban ngành, …) và dòng Tổng số tự cộng;"
        " ghi tên lĩnh vực dưới mục Sở ban ngành; không sửa tên đơn vị; để trống các đơn vị"
        " không có số liệu.",
    )
    note.font = Font(italic=True)
    ws.merge_cells(start_row=total_row + 2, start_column=1, end_row=total_row + 2, end_column=ncols)
    note.alignment = Alignment(wrap_text=True, vertical="top")
    ws.row_dimensions[total_row + 2].height = 30
    for j, col in enumerate(FORM_COLUMNS, start=1):
        ws.column_dimensions[get_column_letter(j)].width = col.width
    ws.freeze_panes = ws.cell(row=first, column=3)
    st.print_setup(ws, numbering)
    ws.print_title_rows = f"{header}:{numbering}"
    return wb


# --- flat templates (staff, budget, surveys) ------------------------------------------------


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

    err = {"showErrorMessage": True, "errorTitle": CELL_RULES["error_title"]}
    words = {"staff_categories": STAFF_CATEGORIES, "authority_levels": tuple(LEVEL_LABEL.values())}
    for kind, cell in CELL_VALIDATIONS.items():
        if kind == "dossier_count":
            continue
        if "list" in cell:
            add(DataValidation(type="list", formula1='"' + ",".join(words[cell["list"]]) + '"', **err), kind)
        else:
            add(DataValidation(**cell["validation"], error=cell["error"], **err), kind)


def _flat_template(source: str, prov: q.Row, per: Period, unit_rows: list[tuple[q.Row, str]]) -> Workbook:
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
    return wb
