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
    rubric = read_rubric(SHIPPED_DIR / "dong_thap_huyen_2023.csv")
    wb = Workbook()
    ws = wb.active
    ws.title = "Tự đánh giá"
    ws.append(["UBND THÀNH PHỐ SA ĐÉC", None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    ws.append(["Đơn vị báo cáo: UBND thành phố Sa Đéc, tỉnh Đồng Tháp"])
    ws.append(["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023"])
    ws.append(["(Kèm theo Báo cáo số 251/BC-UBND ngày 05/9/2023 của UBND thành phố Sa Đéc)"])
    ws.append([])
    points_cols = ["Tối đa", "Tự đánh giá"] + (["Thẩm định"] if appraised is not None else [])
    ws.append(["STT", "Lĩnh vực, tiêu chí, tiêu chí thành phần", "Điểm", *[None] * (len(points_cols) - 1),
               "Tài liệu kiểm chứng", "Giải trình / Ghi chú"])  # fmt: skip
    ws.append([None, None, *points_cols, None, None])
    header_row = ws.max_row - 1
    ws.merge_cells(start_row=header_row, start_column=3, end_row=header_row, end_column=2 + len(points_cols))
    for col in (1, 2, 3 + len(points_cols), 4 + len(points_cols)):
        ws.merge_cells(start_row=header_row, start_column=col, end_row=header_row + 1, end_column=col)
    ws.append([f"({i})" for i in range(1, 5 + len(points_cols))])

    def self_of(code: str) -> str | None:
        node = rubric.node(code)
        children = rubric.children(code)
        if not children:
            return SA_DEC_2023[code]  # type: ignore[return-value]
        if node.parent_code is None:
            if code == "2" and area_two_states is not None:
                return area_two_states
            return AREA_SELF[int(code) - 1]
        known = [self_of(c.code) for c in children]
        return _vi(sum((Decimal(k.replace(",", ".")) for k in known if k and k != PENDING), Decimal(0)))

    for node in rubric.nodes:
        score = self_of(node.code)
        extra = [appraised.get(node.code)] if appraised is not None else []
        evidence = (
            "Báo cáo số 251/BC-UBND" if node.method != "survey" and not rubric.children(node.code) else None
        )
        ws.append([node.ordinal, node.name_vi, _vi(node.max_points), score, *extra, evidence,
                   EXPLANATIONS.get(node.code)])  # fmt: skip
    ws.append(["Tổng cộng", None, "100", "57,96", *([None] if appraised is not None else []), None, None])
    wb.save(path)
    return path
