"""Self-assessment tables written as units send them (openpyxl): Sa Đéc's 2023 table built
from the shipped Đồng Tháp rubric and seed 003's own figures.

Seed 003's self-assessment (to 25/8/2023): areas 13,91/16,5 · 3/7 · 18,98/29 · 6/8 · 5,77/14 ·
2,5/7 · 7,8/14,5 · 0/4 = 57,96 of 70 self-assessed; survey 0 of 30 not yet known. The points
it names per criterion are used as they are; each area's remaining criteria (not public)
carry the rest of the area's stated points.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from openpyxl import Workbook

from rubrics.loading import SHIPPED_DIR
from rubrics.reader import read_rubric

PENDING = "Chưa xác định"
#: the self-scores of Sa Đéc 2023 by rubric code (seed 003); PENDING where not known yet
SA_DEC_2023: dict[str, object] = {
    "1.1": "1,6", "1.6": "1,31", "1.8": PENDING, "1.9": "11",
    "2.3": PENDING, "2.4": "3",
    "3.3.1": "2,99", "3.3.2": "1,99", "3.6": PENDING, "3.7": "14",
    "4.2": "1", "4.4": PENDING, "4.5": "5",
    "5.5": "0,77", "5.7": PENDING, "5.8": "5",
    "6.1": PENDING, "6.4": PENDING, "6.6": PENDING, "6.7": "2,5",
    "7.1.1": "0", "7.1.2": "3", "7.2.1": "0", "7.2.2": "0", "7.2.3": "1,86", "7.2.4": "0,22",
    "7.2.5": "0,22", "7.2.6": "2,5", "7.2.7": PENDING,
    "8.5": PENDING,
}  # fmt: skip
EXPLANATIONS = {
    "5.5": "Đạt 77,7 % kế hoạch. Còn 02 lớp Đào tạo sau đại học và lớp Bồi dưỡng QLNN lãnh đạo"
    " cấp huyện đang chờ Tỉnh mở lớp",
    "7.1.1": "Tỷ lệ văn bản điện tử có ký số chỉ đạt 80,6 %",
    "1.6": "51 nhiệm vụ: 20 trước hạn, 24 đúng hạn, 6 chưa đến hạn, 1 trễ hạn",
}
AREA_SELF = ("13,91", "3", "18,98", "6", "5,77", "2,5", "7,8", "0")


def _vi(value: Decimal) -> str:
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def write_sa_dec_2023(
    path: Path, *, area_two_states: str | None = None, appraised: dict | None = None
) -> Path:
    """Sa Đéc's 2023 self-assessment as a district sends it: letterhead and title block, a
    two-row header ("Điểm" over "Tối đa | Tự đánh giá"), a numbering row, the rubric's
    rows with parents stating their sums, a total row. ``area_two_states`` overrides the
    self-score area II states (a wrong sum); ``appraised`` adds a "Thẩm định" column."""
    states = dict(zip((str(i) for i in range(1, 9)), AREA_SELF, strict=True))
    if area_two_states is not None:
        states["2"] = area_two_states
    return write_self_assessment(
        path, "UBND thành phố Sa Đéc", SA_DEC_2023, appraised=appraised, stated=states, total="57,96"
    )


def write_self_assessment(
    path: Path,
    unit_vi: str,
    scores: dict[str, object],
    *,
    appraised: dict | None = None,
    stated: dict[str, str] | None = None,
    total: str | None = None,
    year: int = 2023,
    explanations: dict[str, str] = EXPLANATIONS,
    max_overrides: dict[str, str] | None = None,
) -> Path:
    """A unit's self-assessment table for ``year`` by the shipped Đồng Tháp district rubric:
    ``scores`` the leaves' self-scores by rubric code (PENDING where not known), parents
    stating the sums of their children unless ``stated`` says otherwise (area codes), the
    total row ``total`` or the sum. ``appraised`` (code → score, and code → (score, reason))
    adds the "Thẩm định" and "Lý do" columns of an appraisal; ``max_overrides`` states other
    maxima than the rubric's (by code)."""
    rubric = read_rubric(SHIPPED_DIR / "dong_thap_huyen_2023.csv")
    stated = stated or {}
    wb = Workbook()
    ws = wb.active
    ws.title = "Tự đánh giá"
    ws.append([unit_vi.upper(), None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append([f"Đơn vị báo cáo: {unit_vi}, tỉnh Đồng Tháp"])
    ws.append([f"BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"])
    ws.append([f"(Kèm theo Báo cáo số 251/BC-UBND ngày 05/9/{year})"])
    ws.append([])
    points_cols = ["Tối đa", "Tự đánh giá"] + (["Thẩm định"] if appraised is not None else [])
    reason_col = ["Lý do điều chỉnh"] if appraised is not None else []
    ws.append(["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm", *[None] * (len(points_cols) - 1),
               "Tài liệu kiểm chứng", "Giải trình / Ghi chú", *reason_col])  # fmt: skip
    ws.append([None, None, *points_cols, None, None, *([None] * len(reason_col))])
    header_row = ws.max_row - 1
    ws.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=2 + len(points_cols))
    for col in (1, 2, *range(3 + len(points_cols), 5 + len(points_cols) + len(reason_col))):
        ws.merge_cells(start_row=header_row, start_column=col, end_row=header_row + 1, end_column=col)
    ws.append([f"({i})" for i in range(1, 5 + len(points_cols) + len(reason_col))])

    def self_of(code: str) -> str | None:
        children = rubric.children(code)
        if not children:
            return scores[code]  # type: ignore[return-value]
        if code in stated:
            return stated[code]
        known = [self_of(c.code) for c in children]
        return _vi(sum((Decimal(k.replace(",", ".")) for k in known if k and k != PENDING), Decimal(0)))

    for node in rubric.nodes:
        score = self_of(node.code)
        extra: list[object] = []
        if appraised is not None:
            given = appraised.get(node.code)
            value, reason = given if isinstance(given, tuple) else (given, None)
            extra = [value]
        evidence = (
            "Báo cáo số 251/BC-UBND" if node.method != "survey" and not rubric.children(node.code) else None
        )
        max_text = (max_overrides or {}).get(node.code, _vi(node.max_points))
        row = [node.ordinal, node.name_vi, max_text, score, *extra, evidence,
               explanations.get(node.code)]  # fmt: skip
        if appraised is not None:
            row.append(reason)
        ws.append(row)
    areas = [self_of(n.code) for n in rubric.nodes if n.parent_code is None]
    total_text = total or _vi(sum((Decimal(a.replace(",", ".")) for a in areas if a), Decimal(0)))
    ws.append(["Tổng cộng", None, "100", total_text, *([None] if appraised is not None else []), None, None])
    wb.save(path)
    return path
