"""The ranking workbook in the shape provinces publish: one sheet per ranking scope, the
points lost per unit, the open data-quality findings and a notes sheet.

Every cell is written through :func:`put`: text is always a string cell, never a formula,
whatever it starts with. File names, sheet names and messages come from submitters; a
rejected file named ``=HYPERLINK(…)`` must show as that text, not as a live link.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
from openpyxl import Workbook
from openpyxl.writer.excel import ExcelWriter

from reports import queries as q
from reports import styles as st
from reports.cells import HEADER_ROW, SheetBuffer, Value, put, streamed_sheet, title_rows, write_lines
from reports.deflate import COMPRESS_LEVEL, Archive
from reports.excel_766 import QD766_SHEET, qd766_sheet
from reports.excel_index import INDEX_SHEET, index_sheet
from reports.labels import SEVERITY_VI, STATUS_VI, rubric_title


def _ranking_sheet(
    ws: SheetBuffer,
    con: duckdb.DuckDBPyConnection,
    rubric: str,
    period: str,
    scope: q.Row,
    area_rows: list[q.Row],
    points: dict[tuple[str, str], q.Row],
    subtitle: str,
) -> None:
    kind_vi = q.KIND_VI.get(scope["unit_kind"], scope["unit_kind"])
    title_rows(
        ws,
        f"BẢNG XẾP HẠNG {rubric_title(rubric).upper()} NĂM {period} — {scope['scope_name']}, {kind_vi}",
        subtitle,
    )
    headers = ["STT", "Mã đơn vị", "Đơn vị"]
    if scope["ranking_scope"] == "nation":
        headers.append("Tỉnh")
    headers += [f"{a['area_code']}. {a['area_name_vi']}" for a in area_rows]
    headers += [
        "Tổng điểm",
        "Điểm tối đa áp dụng",
        "Chỉ số (%)",
        "Xếp hạng",
        "Xếp loại",
        "Kỳ trước",
        "Xếp hạng kỳ trước",
        "Thay đổi thứ hạng",
        "Thay đổi chỉ số (%)",
        "Tiêu chí thiếu dữ liệu",
    ]
    st.write_header(ws, HEADER_ROW, headers)
    ranked = q.ranking(con, rubric, period, scope["ranking_scope"], scope["scope_code"], scope["unit_kind"])
    prov_names: dict[str, str] = {}
    if scope["ranking_scope"] == "nation":
        codes = sorted({r["province_code"] for r in ranked if r["province_code"]})
        prov_names = {c: u["unit_name"] for c, u in q.units(con, codes).items()}
    lines: list[list[Value]] = []
    for i, r in enumerate(ranked, start=1):
        values: list[Value] = [(i, None), (r["unit_code"], None), (r["unit_name"], None)]
        if scope["ranking_scope"] == "nation":
            values.append((prov_names.get(r["province_code"], r["province_code"]), None))
        for a in area_rows:
            p = points.get((r["unit_code"], a["area_code"]))
            values.append((None if p is None else p["points"], st.DEC2))
        values += [
            (r["total_points"], st.DEC2),
            (r["applicable_max_points"], st.DEC2),
            (r["score"], st.DEC2),
            (r["rank"], st.INT),
            (r["band"], None),
            (r["previous_period_label"], None),
            (r["previous_rank"], st.INT),
            (r["rank_change"], st.SIGNED_INT),
            (r["score_change"], st.SIGNED_DEC2),
            (r["missing_criteria"] and int(r["missing_criteria"]), st.INT),
        ]
        lines.append(values)
    write_lines(ws, HEADER_ROW + 1, lines, len(headers))
    last = HEADER_ROW + len(ranked)
    put(
        ws,
        last + 2,
        1,
        "Thay đổi thứ hạng: số dương là tăng hạng so với kỳ trước. Chỉ số = tổng điểm / điểm tối đa"
        " của các tiêu chí áp dụng × 100; tiêu chí không áp dụng không tính là 0 điểm.",
    )
    ws.sheet.freeze_panes = ws.coordinate(HEADER_ROW + 1, 4)
    ws.sheet.auto_filter.ref = f"A{HEADER_ROW}:{ws.coordinate(max(last, HEADER_ROW), len(headers))}"
    st.fit_columns(ws, HEADER_ROW)
    st.print_setup(ws.sheet, HEADER_ROW)


POINTS_LOST_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Cấp đơn vị",
    "Xếp hạng trong tỉnh",
    "Số đơn vị xếp hạng",
    "Thứ tự",
    "Lĩnh vực",
    "Tiêu chí",
    "Cấp giải quyết",
    "Giá trị đạt được",
    "Giá trị để đạt điểm tối đa",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm bị trừ",
    "Chỉ số bị giảm (%)",
]


def _points_lost_sheet(
    ws: SheetBuffer, con: duckdb.DuckDBPyConnection, rubric: str, period: str, province: str | None, sub: str
) -> None:
    title_rows(ws, f"NỘI DUNG CÒN HẠN CHẾ, CHƯA ĐẠT ĐIỂM TỐI ĐA — NĂM {period}", sub)
    st.write_header(ws, HEADER_ROW, POINTS_LOST_HEADERS)
    found = q.points_lost(con, rubric, period, province)
    lines: list[list[Value]] = [
        [
            (i, None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (q.KIND_VI.get(r["unit_kind"], r["unit_kind"]), None),
            (r["province_rank"], st.INT),
            (r["province_ranked_units"], st.INT),
            (r["loss_order"], st.INT),
            (f"{r['area_code']}. {r['area_name_vi']}", None),
            (f"{r['criterion_code']} {r['criterion_name_vi']}", None),
            (r["authority_level"], None),
            (r["measured_value"], st.DEC2),
            (r["value_for_full_points"], st.DEC2),
            (r["points"], st.DEC2),
            (r["max_points"], st.DEC2),
            (r["points_lost"], st.DEC2),
            (r["score_points_lost"], st.DEC2),
        ]
        for i, r in enumerate(found, start=1)
    ]
    write_lines(ws, HEADER_ROW + 1, lines, len(POINTS_LOST_HEADERS))
    ws.sheet.freeze_panes = ws.coordinate(HEADER_ROW + 1, 4)
    ws.sheet.auto_filter.ref = f"A{HEADER_ROW}:P{HEADER_ROW + max(len(found), 1)}"
    st.fit_columns(ws, HEADER_ROW, max_width=70)
    st.print_setup(ws.sheet, HEADER_ROW)


FINDINGS_HEADERS = [
    "STT",
    "Trạng thái",
    "Mức độ",
    "Quy tắc kiểm tra",
    "Mã đơn vị",
    "Đơn vị",
    "Kỳ",
    "Tệp",
    "Dòng",
    "Nội dung",
    "Message (English)",
    "Phát hiện lần đầu",
    "Ảnh hưởng",
    "Đơn vị liên quan",
    "Mã quy tắc",
    "Chi tiết (JSON)",
]
#: Excel holds at most 32,767 characters in a cell
CELL_LIMIT = 32_000


def _cell_text(text: str | None) -> str | None:
    if text is None or len(text) <= CELL_LIMIT:
        return text
    return text[:CELL_LIMIT] + " … (bị cắt / cut: marts.data_quality_findings.details)"


PRIORITY_VI = {0: "Chặn công bố", 1: "Ảnh hưởng xếp hạng kỳ {period}", 2: "Khác"}


def _findings_sheet(
    ws: SheetBuffer, con: duckdb.DuckDBPyConnection, province: str | None, period: str, sub: str
) -> None:
    """Open findings of the province (all provinces without one), in reading order: errors
    that block publication, warnings on units ranked in ``period``, the rest; rules in
    words, units by name, a grouped finding's full list of units in "Chi tiết (JSON)"."""
    title_rows(ws, "CÁC VẤN ĐỀ CHẤT LƯỢNG DỮ LIỆU CHƯA XỬ LÝ", sub)
    st.write_header(ws, HEADER_ROW, FINDINGS_HEADERS)
    found = q.open_findings(con, province, period)
    lines: list[list[Value]] = [
        [
            (i, None),
            (STATUS_VI.get(r["status"], r["status"]), None),
            (SEVERITY_VI.get(r["severity"], r["severity"]), None),
            (r["rule_vi"], None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["period_label"], None),
            (r["source_file"], None),
            (r["source_row"], st.INT),
            (r["message_vi"], None),
            (r["message"], None),
            (r["first_seen_at"], st.DATETIME),
            (PRIORITY_VI[r["tier"]].format(period=period), None),
            (r["units_touched"] or ("" if r["attributable"] else "không xác định được đơn vị"), None),
            (r["rule"], None),
            (_cell_text(r["details"]), None),
        ]
        for i, r in enumerate(found, start=1)
    ]
    write_lines(ws, HEADER_ROW + 1, lines, len(FINDINGS_HEADERS))
    if not found:
        put(ws, HEADER_ROW + 1, 2, "Không có vấn đề nào chưa xử lý.")
    ws.sheet.freeze_panes = ws.coordinate(HEADER_ROW + 1, 2)
    last = ws.coordinate(HEADER_ROW + max(len(found), 1), len(FINDINGS_HEADERS))
    ws.sheet.auto_filter.ref = f"A{HEADER_ROW}:{last}"
    st.fit_columns(ws, HEADER_ROW, max_width=80)
    st.print_setup(ws.sheet, HEADER_ROW)


def _notes_sheet(ws: SheetBuffer, pub: q.Publication, rubric: str, period: str) -> None:
    put(ws, 1, 1, "GHI CHÚ / NOTES").font = st.TITLE
    lines = [
        ("Bộ tiêu chí / rubric", rubric),
        ("Kỳ / period", period),
        ("Mã lần chạy công bố / publication run", pub.run_id),
        ("Thời điểm công bố (UTC) / published at", pub.published_at),
        (
            "Nguồn / source",
            "published/latest.duckdb, schema marts (rankings, fct_scores, mart_points_lost,"
            " data_quality_finding_status)",
        ),
        (
            "Định dạng số / numbers",
            "Ô số giữ giá trị số; dấu phân cách hiển thị theo thiết lập vùng của máy"
            " (Vietnamese: 1.234,56). Cells stay numeric; separators follow the reader's locale.",
        ),
        ("Thay đổi thứ hạng / rank change", "Số dương: tăng hạng so với kỳ trước cùng loại."),
    ]
    for i, (k, v) in enumerate(lines, start=3):
        put(ws, i, 1, k).font = st.BOLD
        cell = put(ws, i, 2, v)
        if k.startswith("Thời điểm"):
            cell.number_format = st.DATETIME
    ws.sheet.column_dimensions["A"].width = 40
    ws.sheet.column_dimensions["B"].width = 100
    st.print_setup(ws.sheet, 1)


def write_ranking_workbook(
    con: duckdb.DuckDBPyConnection,
    out_path: Path,
    rubric: str,
    period: str,
    province: str | None,
    *,
    with_index: bool = False,
) -> Path | None:
    """One workbook for one rubric and period; None when the rubric has no ranking then.
    ``with_index``: add the sheet "Chỉ số CCHC" (the complete PAR INDEX of the year, when
    some unit of ``province`` has one) and the sheet "Chỉ số 766" (the 766 index by the
    portal's rules of the year, else the latest, and its latest quarter, when the
    publication has it)."""
    scopes = q.ranking_scopes(con, rubric, period, province)
    if not scopes:
        return None
    pub = q.publication(con)
    sub = (
        f"Bộ tiêu chí: {rubric_title(rubric)} ({rubric}) · Công bố: {pub.published_at:%d/%m/%Y %H:%M} UTC"
        if pub.published_at
        else f"Bộ tiêu chí: {rubric_title(rubric)} ({rubric})"
    )
    area_rows = q.areas(con, rubric, period)
    points = q.area_points(con, rubric, period)
    wb = Workbook(write_only=True)
    taken: set[str] = set()

    def new_sheet(name: str) -> SheetBuffer:
        return SheetBuffer(streamed_sheet(wb, st.sheet_title(name, taken)))

    for scope in scopes:
        kind = q.KIND_VI.get(scope["unit_kind"], scope["unit_kind"])
        name = scope["scope_name"] if scope["ranking_scope"] == "province" else "Toàn quốc"
        for prefix in ("Tỉnh ", "Thành phố "):
            name = name.removeprefix(prefix)
        ws = new_sheet(f"{name} - {kind}")
        _ranking_sheet(ws, con, rubric, period, scope, area_rows, points, sub)
        ws.flush()
    ws = new_sheet("Điểm bị trừ")
    _points_lost_sheet(ws, con, rubric, period, province, sub)
    ws.flush()
    index = q.index_report(con, period, province) if with_index else None
    if index is not None and index.status:
        # not the data-only rubric's subtitle: the sheet names the index's own rubrics
        index_sub = f"Công bố: {pub.published_at:%d/%m/%Y %H:%M} UTC" if pub.published_at else ""
        ws = new_sheet(INDEX_SHEET)
        index_sheet(ws, index, period, index_sub)
        ws.flush()
    qd766 = q.qd766_report(con, period, province) if with_index else None
    if qd766 is not None and qd766.periods:
        qd766_sub = f"Công bố: {pub.published_at:%d/%m/%Y %H:%M} UTC" if pub.published_at else ""
        ws = new_sheet(QD766_SHEET)
        qd766_sheet(ws, qd766, qd766_sub)
        ws.flush()
    ws = new_sheet("Chất lượng dữ liệu")
    _findings_sheet(ws, con, province, period, sub)
    ws.flush()
    ws = new_sheet("Ghi chú")
    _notes_sheet(ws, pub, rubric, period)
    ws.flush()
    out_path.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_path.with_suffix(".tmp.xlsx")
    save(wb, tmp)
    tmp.replace(out_path)
    return out_path


def save(wb: Workbook, path: Path) -> None:
    """``wb.save(path)`` (openpyxl's ``save_workbook``), the parts compressed at
    :data:`reports.deflate.COMPRESS_LEVEL`, the sheets with the streams compressed while
    they were written (:class:`reports.deflate.Archive`)."""
    with Archive(path, wb.worksheets, compresslevel=COMPRESS_LEVEL) as archive:
        wb.properties.modified = datetime.now(tz=UTC).replace(tzinfo=None)
        ExcelWriter(wb, archive).save()


@dataclass(frozen=True)
class PlannedWorkbook:
    """One ranking workbook of :func:`planned_workbooks`."""

    rubric: str
    period: str
    province: str | None
    path: Path
    with_index: bool


def planned_workbooks(
    con: duckdb.DuckDBPyConnection, out_dir: Path, period: str | None, province: str | None
) -> list[PlannedWorkbook]:
    """The ranking workbooks of the publication: one per rubric present (par_basic first)
    ranked in ``period`` (default: the rubric's latest year), ``xep_hang_<rubric>_<period>.xlsx``;
    the first also holds the sheets of the PAR INDEX and the 766 index (not data-only
    rankings like these)."""
    planned: list[PlannedWorkbook] = []
    ordered = sorted(q.rubrics(con), key=lambda r: (r != "par_basic", r))
    suffix = f"_{province}" if province else ""
    for rubric in ordered:
        p = period or q.latest_year(con, rubric)
        if p is None or not q.ranking_scopes(con, rubric, p, province):
            continue
        path = out_dir / f"xep_hang_{rubric}_{p}{suffix}.xlsx"
        planned.append(PlannedWorkbook(rubric, p, province, path, with_index=not planned))
    return planned


def write_planned_workbook(con: duckdb.DuckDBPyConnection, planned: PlannedWorkbook) -> Path:
    """Write one workbook of :func:`planned_workbooks` from ``con``."""
    path = write_ranking_workbook(
        con, planned.path, planned.rubric, planned.period, planned.province, with_index=planned.with_index
    )
    if path is None:  # planned from the same file: its rubric has a ranking then
        raise RuntimeError(
            f"{planned.path.name}: bộ tiêu chí {planned.rubric} không có xếp hạng năm {planned.period}"
        )
    return path


def write_ranking_workbooks(
    con: duckdb.DuckDBPyConnection, out_dir: Path, period: str | None, province: str | None
) -> list[Path]:
    """Write every workbook of :func:`planned_workbooks`; the files written."""
    planned = planned_workbooks(con, out_dir, period, province)
    return [write_planned_workbook(con, workbook) for workbook in planned]
