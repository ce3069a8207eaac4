"""The rubric reader (docs/rubrics.md) on CSV and Excel files shaped as provinces publish
criteria: the tree from the STT column however it is numbered, exact sums, and every
problem of a file named at its row and column."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.hierarchy import Level, read_ordinal
from rubrics.reader import RubricFileError, read_rubric

HEADER = (
    'STT,"Lĩnh vực, tiêu chí, tiêu chí thành phần",Điểm tối đa,Phương thức đánh giá,'
    "Chỉ tiêu dữ liệu,Cấp giải quyết,Cách tính điểm,Bậc điểm,Ghi chú\n"
)
TITLE = (
    "BỘ TIÊU CHÍ THỬ NGHIỆM\n"
    "Mã bộ tiêu chí: thu_nghiem\n"
    "Tỉnh: Đồng Tháp\n"
    '"Đối tượng: sở, ban, ngành"\n'
    "Áp dụng từ năm: 2024\n"
    "Xếp loại: Tốt: 90; Khá: 80; Yếu: 0\n\n"
)
BODY = (
    'I,Chỉ đạo điều hành,"60,5",,,,,,\n'
    '1,Kế hoạch,"10,5",,,,,,\n'
    "2,Báo cáo,50,,,,,,\n"
    "a,Đúng hạn,30,Dữ liệu,dossier_on_time_rate,huyện,Tỷ lệ,,\n"
    'b,Giải ngân,20,Dữ liệu,budget_disbursement_rate,tất cả,Theo bậc,"≥95: 1; ≥80: 0,75",\n'
    'II,Điều tra xã hội học,"39,5",,,,,,\n'
    '1,Hài lòng về giải quyết TTHC,"39,5",,survey_satisfaction_rate,huyện,Tỷ lệ,,\n'
    "-,mỗi phiếu hài lòng được tính,,,,,,,\n"
    "Tổng cộng,,100,,,,,,\n"
)


def _csv(tmp_path: Path, text: str, name: str = "bo_tieu_chi.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("cell", "level", "number"),
    [
        ("VIII", Level.AREA, 8),
        ("(3)", Level.CRITERION, 3),
        (3.0, Level.CRITERION, 3),
        ("3.3.1", Level.SUB_CRITERION, 1),
        ("c", Level.SUB_CRITERION, 3),  # the third letter, not a Roman hundred
        ("đ", Level.SUB_CRITERION, 5),  # a, b, c, d, đ
        ("ii", Level.SUB_CRITERION, 2),
        ("-", Level.COMPONENT, None),
    ],
)
def test_the_numbering_of_a_row(cell: object, level: Level, number: int | None) -> None:
    ordinal = read_ordinal(cell)
    assert (ordinal.level, ordinal.number) == (level, number)


def test_the_total_row_and_blank_numbers() -> None:
    assert read_ordinal("Tổng cộng").is_total and read_ordinal("TỔNG ĐIỂM").is_total
    assert not read_ordinal("").is_node and not read_ordinal(None).is_node


def test_a_csv_rubric_reads_into_its_tree(tmp_path: Path) -> None:
    rubric = read_rubric(_csv(tmp_path, TITLE + HEADER + BODY))
    meta = rubric.meta
    assert (meta.rubric_id, meta.target, meta.year_from, meta.year_to, meta.province) == (
        "thu_nghiem",
        "department",
        2024,
        None,
        "Đồng Tháp",
    )
    assert [(b.name_vi, b.min_score) for b in meta.bands] == [
        ("Tốt", Decimal(90)),
        ("Khá", Decimal(80)),
        ("Yếu", Decimal(0)),
    ]
    assert [(n.code, n.parent_code, n.max_points) for n in rubric.nodes] == [
        ("1", None, Decimal("60.5")),
        ("1.1", "1", Decimal("10.5")),
        ("1.2", "1", Decimal(50)),
        ("1.2.1", "1.2", Decimal(30)),
        ("1.2.2", "1.2", Decimal(20)),
        ("2", None, Decimal("39.5")),
        ("2.1", "2", Decimal("39.5")),
    ]
    disbursement = rubric.node("1.2.2")
    assert (disbursement.method, disbursement.indicator_code, disbursement.authority_level) == (
        "computed",
        "budget_disbursement_rate",
        "all",
    )
    assert [(s.min_value, s.points_share) for s in disbursement.threshold_steps] == [
        (Decimal(95), Decimal(1)),
        (Decimal(80), Decimal("0.75")),
    ]
    # an area named as a survey is scored by survey, and so are its parts; a bullet
    # without points describes the row above it
    satisfaction = rubric.node("2.1")
    assert satisfaction.method == "survey" and satisfaction.notes == "- mỗi phiếu hài lòng được tính"
    assert rubric.points_by_method() == {
        "self_assessed": Decimal("10.5"),
        "computed": Decimal(50),
        "survey": Decimal("39.5"),
    }


def test_an_excel_rubric_numbered_without_roman_areas(tmp_path: Path) -> None:
    """Areas 1, 2; criteria 1.1; sub-criteria 1.1.1; the title block's label and value in
    two cells; numbers typed as numbers; a name wrapped onto a second row."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Bộ tiêu chí"
    ws.append(["QUYẾT ĐỊNH BAN HÀNH BỘ TIÊU CHÍ CẤP XÃ"])
    ws.append(["Mã bộ tiêu chí", "xa_thu"])
    ws.append(["Đối tượng", "Cấp xã"])
    ws.append(["Áp dụng từ năm", 2025])
    ws.append(["Áp dụng đến năm", "năm 2026"])
    ws.append([])
    ws.append(["TT", "Nội dung đánh giá", "Thang điểm", "Ghi chú"])
    ws.append([1, "Công tác chỉ đạo", 40])
    ws.append(["1.1", "Kế hoạch", 15])
    ws.append(["1.2", "Kiểm tra", 25])
    ws.append(["1.2.1", "Kiểm tra", 12.5])
    ws.append(["1.2.2", "Khắc phục sau", 12.5])
    ws.append([None, "kiểm tra", None])
    ws.append([2, "Thủ tục hành chính", 60])
    ws.append(["2.1", "Công khai", 60, "đủ 100 %"])
    path = tmp_path / "xa.xlsx"
    wb.save(path)
    rubric = read_rubric(path)
    assert (rubric.meta.target, rubric.meta.year_from, rubric.meta.year_to) == ("commune", 2025, 2026)
    assert rubric.meta.province is None  # national
    assert [(n.code, n.level) for n in rubric.nodes] == [
        ("1", 1),
        ("1.1", 2),
        ("1.2", 2),
        ("1.2.1", 3),
        ("1.2.2", 3),
        ("2", 1),
        ("2.1", 2),
    ]
    assert rubric.node("1.2.2").name_vi == "Khắc phục sau kiểm tra"
    assert rubric.node("2.1").notes == "đủ 100 %"
    assert rubric.total == 100


def test_dotted_criteria_under_roman_areas(tmp_path: Path) -> None:
    body = "I,A,70,,,,,,\n1.1,a,30,,,,,,\n1.2,b,40,,,,,,\n1.2.1,b1,40,,,,,,\nII,B,30,,,,,,\n2.1,c,30,,,,,,\n"
    rubric = read_rubric(_csv(tmp_path, TITLE + HEADER + body))
    assert [n.code for n in rubric.nodes] == ["1", "1.1", "1.2", "1.2.1", "2", "2.1"]


def test_every_problem_of_a_file_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    title = TITLE.replace("Mã bộ tiêu chí: thu_nghiem", "Mã bộ tiêu chí: Thử nghiệm")
    body = (
        BODY.replace('1,Kế hoạch,"10,5"', "1,Kế hoạch,11")  # 11 + 50 ≠ 60,5 (area I, row 9)
        .replace("a,Đúng hạn,30,Dữ liệu,dossier_on_time_rate", "a,Đúng hạn,30,Máy chấm,")  # row 12
        .replace(
            'b,Giải ngân,20,Dữ liệu,budget_disbursement_rate,tất cả,Theo bậc,"≥95: 1; ≥80: 0,75"',
            "b,Giải ngân,20,Dữ liệu,,tất cả,Theo bậc,",
        )  # fmt: skip
    )
    with pytest.raises(RubricFileError) as raised:
        read_rubric(_csv(tmp_path, title + HEADER + body))
    found = [(p.row, p.column) for p in raised.value.problems]
    assert (2, "Mã bộ tiêu chí") in found
    assert (12, "Phương thức đánh giá") in found
    assert (9, "Điểm tối đa") in found
    text = str(raised.value)
    assert "bo_tieu_chi.csv" in text
    vi = raised.value.message_vi()
    assert "lỗi" in vi and "dòng 12" in vi and "Máy chấm" in vi


def test_sums_that_do_not_hold_are_refused(tmp_path: Path) -> None:
    body = BODY.replace('1,Kế hoạch,"10,5"', "1,Kế hoạch,11")
    with pytest.raises(RubricFileError) as raised:
        read_rubric(_csv(tmp_path, TITLE + HEADER + body))
    problems = raised.value.problems
    assert [(p.row, p.column) for p in problems] == [(9, "Điểm tối đa")]  # area I
    assert "states 60,5 points but its 2 parts add up to 61" in problems[0].message_en
    assert "ghi 60,5 điểm nhưng 2 nội dung thành phần cộng lại là 61" in problems[0].message_vi
    # a stated total the areas do not reach
    with pytest.raises(RubricFileError) as raised:
        read_rubric(_csv(tmp_path, TITLE + HEADER + BODY.replace("Tổng cộng,,100", "Tổng cộng,,101")))
    (total,) = raised.value.problems
    assert total.row == 17 and "add up to 100, not the stated total (101)" in total.message_en


def test_a_computed_criterion_needs_an_indicator_a_rule_and_steps(tmp_path: Path) -> None:
    body = BODY.replace(
        'b,Giải ngân,20,Dữ liệu,budget_disbursement_rate,tất cả,Theo bậc,"≥95: 1; ≥80: 0,75"',
        "b,Giải ngân,20,Dữ liệu,giai_ngan,tất cả,Theo bậc,",
    ).replace("a,Đúng hạn,30,Dữ liệu,dossier_on_time_rate,huyện,Tỷ lệ", "a,Đúng hạn,30,Dữ liệu,,huyện,")
    with pytest.raises(RubricFileError) as raised:
        read_rubric(
            _csv(tmp_path, TITLE + HEADER + body), known_indicators=frozenset({"dossier_on_time_rate"})
        )
    by_column = {(p.row, p.column) for p in raised.value.problems}
    assert {
        (12, "Chỉ tiêu dữ liệu"),
        (12, "Cách tính điểm"),
        (13, "Chỉ tiêu dữ liệu"),
        (13, "Bậc điểm"),
    } <= by_column


def test_a_number_without_its_parent_and_points_without_a_number(tmp_path: Path) -> None:
    body = "1,Tiêu chí trước lĩnh vực,10,,,,,,\n" + BODY + ",Không số,5,,,,,,\n"
    with pytest.raises(RubricFileError) as raised:
        read_rubric(_csv(tmp_path, TITLE + HEADER + body))
    rows = {p.row: p for p in raised.value.problems}
    assert rows[9].column == "STT" and "'1' has no row above it" in rows[9].message_en
    assert rows[19].column == "STT" and "5 points has no number" in rows[19].message_en


def test_a_file_without_a_rubric_table(tmp_path: Path) -> None:
    with pytest.raises(RubricFileError) as raised:
        read_rubric(_csv(tmp_path, "Tên,Tuổi\nA,1\n"))
    assert "Điểm tối đa" in str(raised.value)
