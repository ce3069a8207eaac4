"""The sheet "Chỉ số CCHC" of the ranking workbook: the complete PAR INDEX of the period's
units (marts.mart_index_status, fct_index_areas, mart_index_points_lost,
mart_index_claims_vs_data): stage, points and scores, areas, points lost, claims vs data."""

from __future__ import annotations

from itertools import zip_longest

from openpyxl.styles import PatternFill
from openpyxl.utils import get_column_letter

from reports import queries as q
from reports import styles as st
from reports import widths
from reports.cells import HEADER_ROW, SheetBuffer, Value, put, title_rows, write_lines

INDEX_SHEET = "Chỉ số CCHC"
#: a self-score the data contradicts (mart_index_claims_vs_data.difference ≠ 0)
DIFFERENCE_FILL = PatternFill("solid", fgColor="F8CBAD")
PENDING_VI = "Chưa xác định"

INDEX_STATUS_HEADERS = [
    "STT",
    "Bộ tiêu chí",
    "Mã đơn vị",
    "Đơn vị",
    "Giai đoạn",
    "Điểm tự đánh giá",
    "Điểm tối đa phần tự đánh giá",
    "Tiêu chí chưa xác định",
    "Chỉ số tự đánh giá (%)",
    "Điểm thẩm định",
    "Chỉ số thẩm định (%)",
    "Điểm điều tra XHH đã có",
    "Điểm chính thức",
    "Điểm tối đa",
    "Chỉ số CCHC chính thức (%)",
    "Xếp loại",
    "Xếp hạng theo",
    "Hạng / số đơn vị xếp hạng",
]
INDEX_AREA_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Giai đoạn",
    "Lĩnh vực",
    "Điểm tự đánh giá",
    "Điểm tối đa phần tự đánh giá",
    "Tiêu chí chưa xác định",
    "Điểm thẩm định",
    "Điểm điều tra XHH đã có",
    "Điểm tối đa phần điều tra XHH",
    "Tiêu chí điều tra XHH chưa có điểm",
    "Điểm chính thức",
    "Điểm tối đa",
]
INDEX_LOST_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Giai đoạn",
    "Lĩnh vực",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm bị trừ",
    "Giải trình của đơn vị",
    "Lý do điều chỉnh khi thẩm định",
]
INDEX_CLAIM_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Mã tiêu chí",
    "Tiêu chí",
    "Điểm tối đa",
    "Điểm đơn vị tự chấm",
    "Điểm tính từ dữ liệu",
    "Chênh lệch (tự chấm − dữ liệu)",
    "Giá trị đo được",
    "Chỉ tiêu dữ liệu",
    "Giải trình của đơn vị",
]


def write_block(
    ws: SheetBuffer,
    row: int,
    heading: str,
    headers: list[str],
    lines: list[list[Value]],
    highlighted: set[int] | None = None,
) -> int:
    """A heading, a header row and the lines (value, number format) from ``row``; lines
    whose index is in ``highlighted`` filled. Returns the next free row."""
    put(ws, row, 1, heading).font = st.BOLD
    st.write_header(ws, row + 1, headers)
    write_lines(
        ws, row + 2, lines, len(headers), wrap_long=True, highlighted=highlighted, fill=DIFFERENCE_FILL
    )
    if not lines:
        put(ws, row + 2, 2, "Không có.")
    return row + 3 + max(len(lines), 1)


def _index_status_lines(report: q.IndexReport) -> list[list[Value]]:
    return [
        [
            (i, None),
            (r["rubric_id"], None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["index_status_vi"], None),
            (r["self_assessed_points"], st.DEC2),
            (r["self_assessed_max_points"], st.DEC2),
            (r["pending_criteria"], st.INT),
            (r["self_assessed_score"], st.DEC2),
            (r["appraised_points"], st.DEC2),
            (r["appraised_score"], st.DEC2),
            (r["survey_points_known"], st.DEC2),
            (r["final_points"], st.DEC2),
            (r["max_points"], st.DEC2),
            (r["final_score"], st.DEC2),
            (r["final_band_vi"], None),
            (q.RANKED_BY_VI.get(r["index_status"], r["index_status"]), None),
            (f"{r['rank']}/{r['ranked_units']}" if r["rank"] is not None else None, None),
        ]
        for i, r in enumerate(report.status, start=1)
    ]


def _index_area_lines(report: q.IndexReport) -> list[list[Value]]:
    return [
        [
            (i, None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["index_status_vi"], None),
            (f"{r['area_code']}. {r['area_name_vi']}", None),
            (r["self_assessed_points"], st.DEC2),
            (r["self_assessed_max_points"], st.DEC2),
            (r["pending_criteria"], st.INT),
            (r["appraised_points"], st.DEC2),
            (r["survey_points"], st.DEC2),
            (r["survey_max_points"], st.DEC2),
            (r["survey_pending_criteria"], st.INT),
            (r["final_points"], st.DEC2),
            (r["max_points"], st.DEC2),
        ]
        for i, r in enumerate(report.areas, start=1)
    ]


def _index_lost_lines(report: q.IndexReport) -> list[list[Value]]:
    return [
        [
            (i, None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["index_status_vi"], None),
            (f"{r['area_code']}. {r['area_name_vi']}", None),
            (r["node_code"], None),
            (r["name_vi"], None),
            (PENDING_VI if r["criterion_status"] == "pending" else r["points"], st.DEC2),
            (r["max_points"], st.DEC2),
            (r["points_lost"], st.DEC2),
            (r["explanation"], None),
            (r["appraisal_reason"], None),
        ]
        for i, r in enumerate(report.points_lost, start=1)
    ]


def _index_claim_lines(report: q.IndexReport) -> list[list[Value]]:
    return [
        [
            (i, None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["node_code"], None),
            (r["name_vi"], None),
            (r["max_points"], st.DEC2),
            (r["claimed_points"], st.DEC2),
            (r["computed_points"], st.DEC2),
            (r["difference"], st.SIGNED_DEC2),
            (r["measured_value"], st.PCT2 if r["indicator_unit"] == "percent" else st.DEC2),
            (r["indicator_name_vi"], None),
            (r["explanation"], None),
        ]
        for i, r in enumerate(report.claims, start=1)
    ]


def fit_block_columns(ws: SheetBuffer, header_rows: set[int], skipped: set[int]) -> None:
    """Widths that fit the values; headers wrap (count for their longest word, at most a
    few), the blocks' headings span columns (not counted). The data lines are measured a
    column at a time (see :func:`_column_width`)."""
    widths: dict[int, int] = {}
    lines = [
        line.values
        for r, line in sorted(ws.lines.items())
        if 4 <= r <= ws.max_row and r not in skipped and r not in header_rows
    ]
    for r in sorted({*ws.rows, *header_rows}):
        if r < 4 or r > ws.max_row or r in skipped or (r in ws.lines and r not in header_rows):
            continue
        header = r in header_rows
        for col, value in ws.row_values(r):
            if value is None:
                continue
            if header:
                text = str(value)
                n = max(min(len(text), 14), max((len(w) for w in text.split()), default=0))
            elif isinstance(value, str):
                n = len(value)
            else:
                n = len(f"{value:,.2f}") + 2
            if n > widths.get(col, 0):
                widths[col] = n
    for col, column in enumerate(zip_longest(*lines), start=1):
        n = _column_width(column)
        if n > widths.get(col, 0):
            widths[col] = n
    for col in sorted(widths):
        ws.sheet.column_dimensions[get_column_letter(col)].width = max(6, min(60, widths[col] + 2))


def _column_width(values: tuple[object, ...]) -> int:
    """The widest of ``values`` as :func:`fit_block_columns` counts a value: a text its
    length, a number its length as ``1,234.56`` and 2. The texts and one class of numbers
    are measured at once (:mod:`reports.widths`); other columns by
    :func:`_column_width_each`."""
    groups = widths.by_class(values)
    texts = groups.pop(str, [])
    n = max(map(len, texts), default=0)  # type: ignore[arg-type]
    if groups:
        widest = widths.widest_block_number(groups)
        if widest is None:
            return _column_width_each(values)
        if widest < len("-0.00"):
            widest = max(len(f"{v:,.2f}") for found in groups.values() for v in found)
        n = max(n, widest + 2)
    return n


def _column_width_each(values: tuple[object, ...]) -> int:
    """:func:`_column_width` a value at a time. The widest number is the largest or the
    smallest (the length grows with the magnitude, a minus sign adds one), unless a value
    is NaN or the values do not compare, or they are all shorter than ``-0.00`` (a negative
    zero equals zero): then each is measured."""
    texts = [v for v in values if isinstance(v, str)]
    numbers = [v for v in values if v is not None and not isinstance(v, str)]
    n = max(map(len, texts), default=0)
    if numbers:
        try:
            ends = numbers if any(v != v for v in numbers) else [max(numbers), min(numbers)]  # noqa: PLR0124
        except TypeError:
            ends = numbers
        widest = max(len(f"{v:,.2f}") for v in ends)
        if widest < len("-0.00"):
            widest = max(len(f"{v:,.2f}") for v in numbers)
        n = max(n, widest + 2)
    return n


def index_sheet(ws: SheetBuffer, report: q.IndexReport, period: str, sub: str) -> None:
    """The complete PAR INDEX of the year (issue 18): each unit's stage, points and score
    at each stage reached and its rank at its own stage; points per area; every criterion
    short of its maximum; self-scores against the data (differences highlighted)."""
    rubrics = sorted({(r["rubric_id"], r["rubric_name_vi"] or r["rubric_id"]) for r in report.status})
    title_rows(ws, f"CHỈ SỐ CẢI CÁCH HÀNH CHÍNH (CHỈ SỐ CCHC) NĂM {period}", sub)
    put(
        ws,
        3,
        1,
        "Bộ tiêu chí: "
        + "; ".join(f"{name} ({rid})" for rid, name in rubrics)
        + ". Giai đoạn: Tự đánh giá → Thẩm định → Chính thức. Mỗi đơn vị được xếp hạng"
        " trong giai đoạn nó đã đạt, cùng các đơn vị cùng giai đoạn; không trộn các giai đoạn."
        " Chỉ số tự đánh giá, thẩm định: % của điểm tối đa phần tự đánh giá; chỉ số chính thức:"
        " % của 100 điểm (cả điểm điều tra XHH).",
    )
    blocks = [
        ("1. Kết quả và xếp hạng theo giai đoạn", INDEX_STATUS_HEADERS, _index_status_lines(report), None),
        ("2. Điểm theo lĩnh vực", INDEX_AREA_HEADERS, _index_area_lines(report), None),
        (
            "3. Nội dung bị trừ điểm (mọi tiêu chí chưa đạt điểm tối đa, ở giai đoạn của đơn vị)",
            INDEX_LOST_HEADERS,
            _index_lost_lines(report),
            None,
        ),
        (
            "4. Điểm tự chấm so với điểm tính từ dữ liệu (tô màu: có chênh lệch)",
            INDEX_CLAIM_HEADERS,
            _index_claim_lines(report),
            {i for i, r in enumerate(report.claims) if r["difference"] is not None and r["difference"] != 0},
        ),
    ]
    row, headings, header_rows = HEADER_ROW, {1, 2, 3}, set()
    for heading, headers, lines, highlighted in blocks:
        headings.add(row)
        header_rows.add(row + 1)
        row = write_block(ws, row, heading, headers, lines, highlighted)
    fit_block_columns(ws, header_rows, headings)
    st.print_setup(ws.sheet, 3)
