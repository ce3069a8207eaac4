"""The sheet "Chỉ số 766" of the ranking workbook: the 766 index by the portal's rules
(marts.fct_766_group_scores, fct_766_indicators, mart_766_rankings) for the latest year and
its latest quarter, against the portal's published figures (mart_766_reconciliation) when
the publication has them: each unit's total and rank, its six groups, the indicators behind
the points lost."""

from __future__ import annotations

from decimal import Decimal

from reports import charts
from reports import queries as q
from reports import styles as st
from reports.cells import HEADER_ROW, SheetBuffer, Value, put, title_rows
from reports.excel_index import fit_block_columns, write_block
from reports.labels import KIND_VI, NO_PORTAL_VI, differs, period_vi

QD766_SHEET = "Chỉ số 766"

QD766_UNIT_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Cấp",
    "Tổng điểm tự tính",
    "Điểm tối đa tính được",
    "Xếp loại",
    "Xếp hạng",
    "Số đơn vị xếp hạng",
    "Xếp hạng trong",
    "Thay đổi thứ hạng so với kỳ trước",
]
QD766_UNIT_PORTAL_HEADERS = [
    "Tổng điểm Cổng DVCQG",
    "Xếp loại của Cổng",
    "Hạng trên Cổng",
    "Chênh lệch tổng điểm (tự tính − Cổng)",
]
QD766_GROUP_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm",
    "Điểm tối đa của nhóm",
    "Điểm tối đa tính được",
    "Điểm tự tính",
    "Điểm bị trừ (phần tính được)",
]
QD766_GROUP_PORTAL_HEADERS = [
    "Điểm Cổng DVCQG",
    "Chênh lệch (tự tính − Cổng)",
    "Nguyên nhân có thể",
    "Hồ sơ chưa đồng bộ",
    "Hồ sơ để trống kênh nộp",
    "Hồ sơ yêu cầu bổ sung nhiều lần",
    "Hồ sơ trực tuyến thiếu kết quả điện tử",
    "Hồ sơ đã giải quyết không có kết quả điện tử",
]
QD766_LOST_HEADERS = [
    "STT",
    "Mã đơn vị",
    "Đơn vị",
    "Nhóm",
    "Mã chỉ số",
    "Chỉ số",
    "Tử số",
    "Mẫu số",
    "Tỷ lệ nhân: tử số",
    "Tỷ lệ nhân: mẫu số",
    "Giá trị (%)",
    "Ngưỡng",
    "Điểm đạt",
    "Điểm tối đa",
    "Điểm bị trừ",
]


def threshold_vi(full_points_at: Decimal | None) -> str:
    """The rule's threshold as the formula document says it: "đủ điểm ở 50 %" (the few
    thresholds kept, by their class and ``str``)."""
    if full_points_at is None:
        return ""
    key = (full_points_at.__class__, str(full_points_at))
    text = _THRESHOLDS.get(key)
    if text is None:
        decimals = 0 if full_points_at == full_points_at.to_integral_value() else 2
        text = f"đủ điểm ở {charts.vn_number(full_points_at, decimals)} %"
        if len(_THRESHOLDS) < _THRESHOLDS_MAX:
            _THRESHOLDS[key] = text
    return text


_THRESHOLDS: dict[tuple[type, str], str] = {}
_THRESHOLDS_MAX = 10_000


def ranked_within_vi(unit: q.Row) -> str:
    kind = KIND_VI.get(unit["unit_kind"], unit["unit_kind"])
    if unit["ranked_within"] is None:
        return ""
    if unit["ranked_within"] == "VN":
        return f"toàn quốc ({kind})"
    return f"{unit['province_name'] or unit['ranked_within']} ({kind})"


def _difference(own: Decimal | None, portal: Decimal | None) -> Decimal | None:
    return None if own is None or portal is None else own - portal


def _unit_lines(period: q.Qd766Period) -> list[list[Value]]:
    lines = []
    for i, u in enumerate(period.units, start=1):
        values: list[Value] = [
            (i, None),
            (u["unit_code"], None),
            (u["unit_name"], None),
            (KIND_VI.get(u["unit_kind"], u["unit_kind"]), None),
            (u["total_points"], st.DEC2),
            (u["total_computed_max_points"], st.DEC2),
            (u["total_band_vi"], None),
            (u["total_rank"], st.INT),
            (u["units_ranked"], st.INT),
            (ranked_within_vi(u), None),
            (u["rank_change"], st.SIGNED_INT),
        ]
        if period.has_portal:
            values += [
                (u["portal_total"], st.DEC2),
                (u["portal_band_vi"] or u["portal_band_label"], None),
                (u["portal_rank"], st.INT),
                (_difference(u["total_points"], u["portal_total"]), st.SIGNED_DEC2),
            ]
        lines.append(values)
    return lines


def _group_lines(period: q.Qd766Period) -> list[list[Value]]:
    lines = []
    for i, g in enumerate(period.groups, start=1):
        lost = None if g["points"] is None else g["computed_max_points"] - g["points"]
        values: list[Value] = [
            (i, None),
            (g["unit_code"], None),
            (g["unit_name"], None),
            (g["group_name_vi"], None),
            (g["group_max_points"], st.DEC2),
            (g["computed_max_points"], st.DEC2),
            (g["points"], st.DEC2),
            (lost, st.DEC2),
        ]
        if period.has_portal:
            values += [
                (g["portal_points"], st.DEC2),
                (g["difference"], st.SIGNED_DEC2),
                (g["likely_cause_vi"], None),
                (g["dossiers_not_synced"], st.INT),
                (g["dossiers_channel_blank"], st.INT),
                (g["dossiers_multiple_supplements"], st.INT),
                (g["online_dossiers_without_result"], st.INT),
                (g["resolved_without_electronic_result"], st.INT),
            ]
        lines.append(values)
    return lines


def _lost_lines(period: q.Qd766Period) -> list[list[Value]]:
    return [
        [
            (i, None),
            (r["unit_code"], None),
            (r["unit_name"], None),
            (r["group_name_vi"], None),
            (r["indicator_code"], None),
            (r["indicator_name_vi"], None),
            (r["numerator"], st.INT),
            (r["denominator"], st.INT),
            (r["multiplier_numerator"], st.INT),
            (r["multiplier_denominator"], st.INT),
            (r["value_percent"], st.PCT2),
            (threshold_vi(r["full_points_at"]), None),
            (r["points"], st.DEC2),
            (r["max_points"], st.DEC2),
            (r["points_lost"], st.DEC2),
        ]
        for i, r in enumerate(period.indicators_lost, start=1)
    ]


def qd766_sheet(ws: SheetBuffer, report: q.Qd766Report, sub: str) -> None:
    """The 766 index of the latest year and its latest quarter (issue 19): per period each
    unit's total and rank by the portal's rules, its groups (own points of the part the
    records give, the portal's points and the difference, highlighted), the indicators short
    of their maximum; the portal's columns only where it has published the period."""
    year = next((p for p in report.periods if p.period_kind == "year"), report.periods[0])
    title_rows(
        ws,
        f"CHỈ SỐ PHỤC VỤ NGƯỜI DÂN, DOANH NGHIỆP (QĐ 766/QĐ-TTg) — {period_vi(year).upper()}",
        sub,
    )
    put(
        ws,
        3,
        1,
        "Điểm tự tính từ hồ sơ một cửa theo công thức của Cổng Dịch vụ công quốc gia (Cổng DVCQG)."
        " Điểm tối đa tính được: phần điểm tối đa của nhóm mà dữ liệu cho phép tính (nhóm Công khai,"
        " minh bạch: chỉ 1.4; nhóm Mức độ hài lòng: chỉ 5.4). Chênh lệch = điểm tự tính − điểm Cổng"
        " DVCQG. Thay đổi thứ hạng: số dương là tăng hạng so với kỳ trước cùng loại.",
    )
    row, headings, header_rows = HEADER_ROW, {1, 2, 3}, set()
    for letter, period in zip("ABCD", report.periods, strict=False):
        headings.add(row)
        put(ws, row, 1, f"{letter}. {period_vi(period)} (kỳ {period.period_label})").font = st.TITLE
        row += 1
        if not period.has_portal:
            headings.add(row)
            put(ws, row, 1, f"{NO_PORTAL_VI}.").font = st.BOLD
            row += 1
        portal_units = QD766_UNIT_PORTAL_HEADERS if period.has_portal else []
        portal_groups = QD766_GROUP_PORTAL_HEADERS if period.has_portal else []
        blocks = [
            (
                "1. Tổng điểm và xếp hạng theo quy tắc của Cổng DVCQG",
                QD766_UNIT_HEADERS + portal_units,
                _unit_lines(period),
                None,
            ),
            (
                "2. Điểm theo nhóm"
                + (" so với điểm Cổng DVCQG công bố (tô màu: có chênh lệch)" if period.has_portal else ""),
                QD766_GROUP_HEADERS + portal_groups,
                _group_lines(period),
                {i for i, g in enumerate(period.groups) if differs(g)},
            ),
            (
                "3. Chỉ số bị trừ điểm (mọi chỉ số chưa đạt điểm tối đa)",
                QD766_LOST_HEADERS,
                _lost_lines(period),
                None,
            ),
        ]
        for heading, headers, lines, highlighted in blocks:
            headings.add(row)
            header_rows.add(row + 1)
            row = write_block(ws, row, heading, headers, lines, highlighted)
    fit_block_columns(ws, header_rows, headings)
    st.print_setup(ws.sheet, 3)
