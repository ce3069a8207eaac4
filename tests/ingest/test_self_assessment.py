"""Self-assessment tables (Biểu tự đánh giá, chấm điểm): seed 003's own figures come out of
Sa Đéc's 2023 table; stated sums that differ from their parts are findings; other layouts
(one header row, areas numbered 1, 2, a CSV) read the same; what cannot be read is named."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from ingest.errors import IngestError
from ingest.self_assessment import read_self_assessment
from tests.ingest.self_assessment_files import write_sa_dec_2023

D = Decimal


def test_seed_003s_figures_come_out_of_sa_decs_table(tmp_path: Path) -> None:
    table = read_self_assessment(write_sa_dec_2023(tmp_path / "tu_danh_gia_sa_dec_2023.xlsx"))
    assert (table.unit_code, table.year) == ("L867", 2023)
    assert [(a.max_points, a.self_score) for a in table.areas] == [
        (D("16.5"), D("13.91")),
        (D(7), D(3)),
        (D(29), D("18.98")),
        (D(8), D(6)),
        (D(14), D("5.77")),
        (D(7), D("2.5")),
        (D("14.5"), D("7.8")),
        (D(4), D(0)),
    ]
    assert sum(a.self_score for a in table.areas) == D("57.96")
    leaves = table.leaves()
    survey = [
        leaf
        for leaf in leaves
        if "điều tra xã hội học" in leaf.name_vi.lower() or leaf.code in ("3.6", "7.2.7")
    ]
    assert sum(leaf.max_points for leaf in survey) == 30 and all(leaf.self_score_pending for leaf in survey)
    assert sum(leaf.max_points for leaf in leaves if leaf not in survey) == 70
    assert table.mismatches == ()
    # the criteria seed 003 names as losing points, with the unit's own explanation
    lost = [
        (leaf.code, leaf.self_score, leaf.max_points)
        for leaf in leaves
        if leaf.self_score is not None and leaf.self_score < leaf.max_points
    ]
    assert lost == [
        ("1.1", D("1.6"), D(2)),
        ("1.6", D("1.31"), D("1.5")),
        ("3.3.1", D("2.99"), D(3)),
        ("3.3.2", D("1.99"), D(2)),
        ("5.5", D("0.77"), D(1)),
        ("7.1.1", D(0), D("1.5")),
        ("7.2.1", D(0), D("0.75")),
        ("7.2.2", D(0), D("0.75")),
        ("7.2.3", D("1.86"), D(3)),
        ("7.2.4", D("0.22"), D(1)),
        ("7.2.5", D("0.22"), D(1)),
    ]
    assert table.row("5.5").explanation.startswith("Đạt 77,7 % kế hoạch. Còn 02 lớp")
    assert table.row("1.1").evidence == "Báo cáo số 251/BC-UBND"
    # not known yet (survey criteria, year-end results): pending, never zero
    assert {r.code for r in leaves if r.self_score_pending} >= {"1.8", "3.6", "6.1", "6.4", "8.5"}


def test_a_stated_area_sum_that_differs_from_its_criteria_is_a_finding(tmp_path: Path) -> None:
    table = read_self_assessment(write_sa_dec_2023(tmp_path / "sa_dec.xlsx", area_two_states="4"))
    area, total = table.mismatches
    assert (area.code, area.measure, area.stated, area.parts) == ("2", "self_score", D(4), D(3))
    assert area.source_row == 14 and area.column == "D (Điểm / Tự đánh giá)"
    assert (
        area.message_vi() == "2 'Cải cách thể chế': ghi 4,00 nhưng các nội dung thành phần cộng lại là 3,00"
    )
    # the total row (57,96) against the areas as stated (58,96)
    assert (total.code, total.stated, total.parts) == ("total", D("57.96"), D("58.96"))


def test_the_appraised_column_is_read_beside_the_self_score(tmp_path: Path) -> None:
    table = read_self_assessment(
        write_sa_dec_2023(tmp_path / "sa_dec.xlsx", appraised={"1.1": "1,5", "3.3.1": "2,99", "3.3": "4,98"})
    )
    assert table.row("1.1").appraised_score == D("1.5")
    assert table.row("1.1").self_score == D("1.6")
    assert table.row("3.3").appraised_score == D("4.98")
    assert table.mismatches == ()  # 3.3 states 4,98 appraised; only 3.3.1 is appraised (2,99) …
    # … a parent's appraised sum is checked when its parts are appraised


def test_another_layout_one_header_row_areas_numbered_1_2_in_a_csv(tmp_path: Path) -> None:
    path = tmp_path / "tu_cham_diem_xa_tan_hoa_2024.csv"
    path.write_text(
        "ỦY BAN NHÂN DÂN XÃ TÂN HÒA\n"
        "Đơn vị: UBND xã Tân Hòa, huyện Thanh Bình, tỉnh Đồng Tháp\n"
        "KẾT QUẢ TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024\n"
        "\n"
        "TT;Nội dung;Điểm tối đa;Điểm tự chấm;Điểm thẩm định;Lý do điều chỉnh\n"
        "1;Công tác chỉ đạo điều hành;10;9,5;9;\n"
        "1.1;Kế hoạch CCHC;4;4;4;\n"
        "1.2;Báo cáo CCHC;6;5,5;5;Báo cáo quý III gửi trễ\n"
        "2;Thủ tục hành chính;90;80;;\n"
        "2.1;Công khai TTHC;30;30;;\n"
        "2.2;Tiếp nhận, giải quyết;60;50;;\n"
        "-;gồm hồ sơ trực tuyến;;;;\n"
        "Tổng điểm;;100;89,5;;\n",
        encoding="utf-8",
    )
    table = read_self_assessment(path)
    assert (table.unit_code, table.year) == ("L30136", 2024)  # Tân Hòa of Thanh Bình (Lai Vung has one too)
    assert [(r.code, r.parent_code, r.self_score, r.appraised_score) for r in table.rows] == [
        ("1", None, D("9.5"), D(9)),
        ("1.1", "1", D(4), D(4)),
        ("1.2", "1", D("5.5"), D(5)),
        ("2", None, D(80), None),
        ("2.1", "2", D(30), None),
        ("2.2", "2", D(50), None),
    ]
    assert table.row("1.2").appraisal_reason == "Báo cáo quý III gửi trễ"
    assert table.mismatches == ()


def test_a_score_that_is_not_a_number_is_named_at_its_row_and_column(tmp_path: Path) -> None:
    path = tmp_path / "tu_danh_gia.csv"
    path.write_text(
        "UBND huyện Tháp Mười\nBiểu tự đánh giá Chỉ số CCHC năm 2023\n"
        "STT;Tiêu chí;Điểm tối đa;Điểm tự đánh giá\nI;Chỉ đạo;10;khoảng 8\n1;Kế hoạch;10;8\n",
        encoding="utf-8",
    )
    with pytest.raises(IngestError) as raised:
        read_self_assessment(path)
    assert (raised.value.row, raised.value.file_name) == (4, "tu_danh_gia.csv")
    assert "Điểm tự đánh giá" in raised.value.column and "khoảng 8" in raised.value.message_en


def test_a_table_without_a_year_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "tu_danh_gia.csv"
    path.write_text("STT;Tiêu chí;Điểm tối đa;Điểm tự đánh giá\nI;Chỉ đạo;10;8\n", encoding="utf-8")
    with pytest.raises(IngestError) as raised:
        read_self_assessment(path)
    assert "năm" in raised.value.message_vi
