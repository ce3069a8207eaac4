"""Self-assessment tables (Biểu tự đánh giá, chấm điểm Chỉ số CCHC) as units send them, and the
Province's appraisal (kết quả thẩm định) in the same shape with a "Thẩm định" column.

Built from the shipped Đồng Tháp district rubric (rubrics/shipped/dong_thap_huyen_2023.csv).
Seed 003's self-assessment of Sa Đéc (to 25/8/2023): areas 13,91/16,5 · 3/7 · 18,98/29 · 6/8 ·
5,77/14 · 2,5/7 · 7,8/14,5 · 0/4 = 57,96 of 70 self-assessed; survey 0 of 30 not yet known.
The points it names per criterion are used as they are; each area's remaining criteria (not
public) carry the rest of the area's stated points.
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache

from demo._common import new_workbook, xlsx_bytes
from rubrics.loading import SHIPPED_DIR
from rubrics.reader import read_rubric
from rubrics.tree import Rubric

RUBRIC_FILE = "dong_thap_huyen_2023.csv"
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
SA_DEC_UNIT = "UBND thành phố Sa Đéc"
SA_DEC_TOTAL = "57,96"


@cache
def shipped_rubric() -> Rubric:
    """The shipped Đồng Tháp district rubric the tables are built from."""
    return read_rubric(SHIPPED_DIR / RUBRIC_FILE)


def vi_points(value: Decimal) -> str:
    """Decimal('1.50') -> '1,5' (points as a table writes them)."""
    text = format(value.normalize(), "f")
    return text.replace(".", ",")


def points_of(text: object) -> Decimal | None:
    """'1,31' -> Decimal('1.31'); None for PENDING or blank."""
    if text is None or text == PENDING or text == "":
        return None
    return Decimal(str(text).replace(",", "."))


def sa_dec_2023_xlsx(
    *, area_two_states: str | None = None, appraised: dict | None = None, signed: date | None = None
) -> bytes:
    """Sa Đéc's 2023 self-assessment as a district sends it: letterhead and title block, a
    two-row header ("Điểm" over "Tối đa | Tự đánh giá"), a numbering row, the rubric's
    rows with parents stating their sums, a total row. ``area_two_states`` overrides the
    self-score area II states (a wrong sum); ``appraised`` adds a "Thẩm định" column;
    ``signed`` adds the place-and-date line ("Sa Đéc, ngày 05 tháng 9 năm 2023")."""
    states = dict(zip((str(i) for i in range(1, 9)), AREA_SELF, strict=True))
    if area_two_states is not None:
        states["2"] = area_two_states
    return self_assessment_xlsx(
        SA_DEC_UNIT, SA_DEC_2023, appraised=appraised, stated=states, total=SA_DEC_TOTAL, signed=signed
    )


def self_assessment_xlsx(
    unit_vi: str,
    scores: dict[str, object],
    *,
    appraised: dict | None = None,
    stated: dict[str, str] | None = None,
    total: str | None = None,
    year: int = 2023,
    explanations: dict[str, str] = EXPLANATIONS,
    max_overrides: dict[str, str] | None = None,
    reference: str | None = None,
    signed: date | None = None,
    place: str = "Đồng Tháp",
) -> bytes:
    """The .xlsx bytes of a unit's self-assessment table for ``year`` by the shipped Đồng Tháp
    district rubric: ``scores`` the leaves' self-scores by rubric code (PENDING where not
    known), parents stating the sums of their children unless ``stated`` says otherwise
    (area codes), the total row ``total`` or the sum. ``appraised`` (code → score, and code →
    (score, reason)) adds the "Thẩm định" and "Lý do" columns of an appraisal;
    ``max_overrides`` states other maxima than the rubric's (by code); ``reference`` is the
    line under the title (default: the unit's report of 05/9); ``signed`` adds the
    place-and-date line under the national motto ("Đồng Tháp, ngày 20 tháng 12 năm 2023"):
    the date the warehouse orders two versions by. Same input → same bytes."""
    rubric = shipped_rubric()
    stated = stated or {}
    wb, ws = new_workbook("Tự đánh giá")
    ws.append([unit_vi.upper(), None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"])
    signed_line = f"{place}, ngày {signed.day:02d} tháng {signed.month} năm {signed.year}" if signed else None
    ws.append([f"Đơn vị báo cáo: {unit_vi}, tỉnh Đồng Tháp", *([None, None, signed_line] if signed else [])])
    ws.append([f"BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {year}"])
    ws.append([reference or f"(Kèm theo Báo cáo số 251/BC-UBND ngày 05/9/{year})"])
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
        return vi_points(sum((Decimal(k.replace(",", ".")) for k in known if k and k != PENDING), Decimal(0)))

    for node in rubric.nodes:
        score = self_of(node.code)
        extra: list[object] = []
        reason = None
        if appraised is not None:
            given = appraised.get(node.code)
            value, reason = given if isinstance(given, tuple) else (given, None)
            extra = [value]
        evidence = (
            "Báo cáo số 251/BC-UBND" if node.method != "survey" and not rubric.children(node.code) else None
        )
        max_text = (max_overrides or {}).get(node.code, vi_points(node.max_points))
        row = [node.ordinal, node.name_vi, max_text, score, *extra, evidence,
               explanations.get(node.code)]  # fmt: skip
        if appraised is not None:
            row.append(reason)
        ws.append(row)
    areas = [self_of(n.code) for n in rubric.nodes if n.parent_code is None]
    total_text = total or vi_points(sum((Decimal(a.replace(",", ".")) for a in areas if a), Decimal(0)))
    ws.append(["Tổng cộng", None, "100", total_text, *([None] if appraised is not None else []), None, None])
    return xlsx_bytes(wb)


# ------------------------------------------------------------------ the demo's Đồng Tháp 2023

#: the survey criteria's points the Province gives in its final appraisal (3.6, SIPAS, is left
#: blank: the warehouse takes it from the survey marts)
FINAL_SURVEY_POINTS = {"1.8": "1,75", "2.3": "3,5", "4.4": "1,8", "5.7": "6,5", "6.6": "2,6", "7.2.7": "0,9"}
SURVEY_FROM_DATA = "3.6"


def data_points(max_points: Decimal, in_time: int, resolved: int) -> Decimal:
    """A proportional criterion's points (full at 100 %), rounded half up to 2 decimals."""
    if not resolved:
        return max_points
    return (max_points * in_time / resolved).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def varied_scores(rng: object, base: dict[str, object]) -> dict[str, object]:
    """``base`` with every self-assessed criterion's score drawn again (55–100 % of its
    maximum, 2 decimals); pending ones stay pending, computed and survey ones as given."""
    rubric = shipped_rubric()
    out = dict(base)
    for code, value in base.items():
        node = rubric.node(code)
        if node.method != "self_assessed" or value == PENDING:
            continue
        share = Decimal(rng.randint(55, 100)) / 100  # type: ignore[attr-defined]
        out[code] = vi_points((node.max_points * share).quantize(Decimal("0.01")))
    return out


def self_assessed_total(scores: dict[str, object]) -> Decimal:
    """The self-assessed points of a table: its leaves' scores, survey criteria aside."""
    rubric = shipped_rubric()
    return sum(
        (points_of(v) or Decimal(0) for c, v in scores.items() if rubric.node(c).method != "survey"),
        Decimal(0),
    )


def area_sums(scores: dict[str, object]) -> dict[str, Decimal]:
    """Each area's self-assessed points (sum of its leaves), by area code."""
    rubric = shipped_rubric()
    out: dict[str, Decimal] = {}
    for code, value in scores.items():
        area = code.split(".")[0]
        if rubric.node(code).method == "survey":
            continue
        out[area] = out.get(area, Decimal(0)) + (points_of(value) or Decimal(0))
    return out
