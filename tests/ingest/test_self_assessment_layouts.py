"""Self-assessment tables as provinces and districts publish them (Biểu tự đánh giá, chấm
điểm Chỉ số CCHC; Bảng tự chấm điểm; Phụ lục kết quả tự đánh giá of a Báo cáo CCHC): one or
two header rows, "Điểm chuẩn" / "Thang điểm" / "Tự chấm", extra columns, Roman and
"Lĩnh vực I" areas, numbers restarting per area, letters and bullets, wrapped text, merged
cells, formulas without a computed value, totals at the top or the bottom, the year in the
title, the period line or the sheet name, .xlsx, .xls and .csv. Each variant asserts the
exact values read, or the exact refusal (file, row, column) of what would publish a wrong
number."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
import xlwt

from ingest.errors import IngestError
from ingest.self_assessment import SelfAssessment, read_self_assessment

D = Decimal


def _write_xlsx(path: Path, sheets: list[tuple[str, list[list], list[str]]]) -> Path:
    """A workbook of ``(name, rows, merged ranges)`` sheets, as openpyxl writes it (formulas
    without a computed value)."""
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for name, rows, merges in sheets:
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(row)
        for ref in merges:
            ws.merge_cells(ref)
    wb.save(path)
    return path


def _write_csv(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _figures(table: SelfAssessment) -> list[tuple]:
    return [
        (r.code, r.parent_code, r.max_points, r.self_score, r.self_score_pending, r.appraised_score)
        for r in table.rows
    ]


# --- one header row, full labels, extra columns -------------------------------------------

LAP_VO_HEADER = [
    "TT",
    "Mã tiêu chí",
    "Lĩnh vực, tiêu chí, tiêu chí thành phần",
    "Điểm tối đa",
    "Phương thức đánh giá",
    "Điểm tự đánh giá",
    "Tài liệu kiểm chứng",
    "Đơn vị chủ trì",
    "Ghi chú",
]


def _lap_vo_rows(**cells: str) -> list[list]:
    """Lấp Vò's 2023 table: letterhead, title, one header row with full labels and columns
    the reader ignores; areas "I.", criteria "1.", "3.3.1"; scores "1,6", "1.31", "0,00",
    "Chưa xác định"; the total "TỔNG ĐIỂM" at the bottom."""
    rows: list[list] = [
        ["UBND HUYỆN LẤP VÒ", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        [None, None, None, None, None, "Độc lập - Tự do - Hạnh phúc"],
        ["BIỂU TỰ ĐÁNH GIÁ, CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2023"],
        ["(Kèm theo Báo cáo số 312/BC-UBND của Ủy ban nhân dân huyện Lấp Vò)"],
        LAP_VO_HEADER,
        ["I.", "LV1", "CÔNG TÁC CHỈ ĐẠO, ĐIỀU HÀNH CCHC", "6,5", None, "3,91"],
        [
            "1.",
            "TC1.1",
            "Kế hoạch CCHC",
            "2",
            "Tự đánh giá",
            cells.get("1.1", "1,6"),
            "KH số 15/KH-UBND",
            "Phòng Nội vụ",
            "Ước đạt 80 % kế hoạch",
        ],
        ["6.", "TC1.6", "Thực hiện các nhiệm vụ được UBND Tỉnh giao", "1.5", "Tự đánh giá", "1.31"],
        [
            "8.",
            "TC1.8",
            "Điều tra xã hội học về sự năng động của lãnh đạo",
            "2",
            "Điều tra XHH",
            "Chưa xác định",
        ],
        ["9.", "TC1.9", "Các tiêu chí còn lại", "1", None, "1"],
        ["III.", "LV3", "CẢI CÁCH THỦ TỤC HÀNH CHÍNH", "7", None, "4,98"],
        ["3.", "TC3.3", "Kết quả giải quyết TTHC", "5", None, "4,98"],
        [
            "3.3.1",
            "TC3.3.1",
            "Tỷ lệ hồ sơ cấp huyện giải quyết đúng hạn",
            "3",
            "Dữ liệu",
            "2,99",
            "Báo cáo số 20/BC-UBND",
        ],
        ["3.3.2", "TC3.3.2", "Tỷ lệ hồ sơ cấp xã giải quyết đúng hạn", "2", "Dữ liệu", "1,99"],
        ["7.", "TC3.7", "Các tiêu chí còn lại", "2", None, "0,00", None, None, "Chưa thực hiện"],
        ["TỔNG ĐIỂM", None, None, "13,5", None, cells.get("total", "8,89")],
        [None, None, "Người lập biểu", None, None, "CHỦ TỊCH"],
        [None, None, "Ghi chú: điểm ĐTXHH do Tỉnh chấm", None, None, None],
    ]
    return rows


def test_one_header_row_full_labels_extra_columns_ignored(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "lap_vo_2023.xlsx", [("Sheet1", _lap_vo_rows(), [])])
    table = read_self_assessment(path)
    assert (table.unit_name, table.unit_code, table.year) == ("HUYỆN LẤP VÒ", "L875", 2023)
    assert _figures(table) == [
        ("1", None, D("6.5"), D("3.91"), False, None),
        ("1.1", "1", D(2), D("1.6"), False, None),
        ("1.6", "1", D("1.5"), D("1.31"), False, None),
        ("1.8", "1", D(2), None, True, None),
        ("1.9", "1", D(1), D(1), False, None),
        ("3", None, D(7), D("4.98"), False, None),
        ("3.3", "3", D(5), D("4.98"), False, None),
        ("3.3.1", "3.3", D(3), D("2.99"), False, None),
        ("3.3.2", "3.3", D(2), D("1.99"), False, None),
        ("3.7", "3", D(2), D(0), False, None),
    ]
    row = table.row("1.1")
    assert (row.evidence, row.explanation) == ("KH số 15/KH-UBND", "Ước đạt 80 % kế hoạch")
    # the signature and note rows below the total are not the last criterion's text
    assert table.row("3.7").name_vi == "Các tiêu chí còn lại"
    assert table.row("3.7").explanation == "Chưa thực hiện"
    assert table.mismatches == ()


def test_a_total_that_differs_from_the_areas_is_a_finding(tmp_path: Path) -> None:
    path = _write_xlsx(tmp_path / "lap_vo_2023.xlsx", [("Sheet1", _lap_vo_rows(total="9,89"), [])])
    (mismatch,) = read_self_assessment(path).mismatches
    assert (mismatch.code, mismatch.measure, mismatch.stated, mismatch.parts) == (
        "total",
        "self_score",
        D("9.89"),
        D("8.89"),
    )
    assert mismatch.source_row == 16 and mismatch.column == "F (Điểm tự đánh giá)"


# --- two header rows: a merged "Điểm" group, merged area cells, formulas ------------------


def _thap_muoi_rows() -> tuple[list[list], list[str]]:
    rows: list[list] = [
        ["ỦY BAN NHÂN DÂN", None, None, None, None, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"],
        ["HUYỆN THÁP MƯỜI"],
        ["BIỂU TỰ ĐÁNH GIÁ KẾT QUẢ THỰC HIỆN CHỈ SỐ CCHC NĂM 2024 CỦA UBND HUYỆN THÁP MƯỜI"],
        ["(Phụ lục kèm theo Báo cáo kết quả tự đánh giá)"],
        [
            "STT",
            "Lĩnh vực/Tiêu chí/Tiêu chí thành phần",
            "Điểm",
            None,
            None,
            "Tài liệu kiểm chứng",
            "Ghi chú",
        ],
        [None, None, "Thang điểm", "Tự chấm", "Thẩm định", None, None],
        ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
        ["Lĩnh vực I", "Công tác chỉ đạo, điều hành CCHC", "5", "=SUM(D10:D14)", None, None, None],
        [None, None, None, None, None, None, None],
        ["1", "Kế hoạch CCHC", "2", "1,6", "1,5", "KH số 10/KH-UBND", None],
        ["2", "Thực hiện chế độ báo cáo CCHC", "1", "1", None, "Báo cáo quý I, II, III", None],
        [None, "định kỳ, đột xuất theo yêu cầu", None, None, None, "và năm", None],
        ["3", "Công tác kiểm tra CCHC", "2", None, None, None, None],
        [None, "(tối thiểu 30 % cơ quan, đơn vị)", None, "1,5", None, None, "Kiểm tra 5/15 cơ quan"],
        ["Lĩnh vực II", "Cải cách thể chế", "3", "2,5", None, None, None],
        ["1", "Tuân thủ quy trình xây dựng văn bản QPPL", "3", "2,5", None, None, None],
        ["a)", "Lấy ý kiến góp ý dự thảo", "1,5", "1,5", None, None, None],
        ["b)", "Thẩm định dự thảo", "1,5", "1", None, None, None],
        ["-", "Thẩm định đúng thời hạn", "1", "0,5", None, None, None],
        ["-", "Hồ sơ thẩm định đầy đủ", "0,5", "0,5", None, None, None],
        ["+", "gồm tờ trình, dự thảo, báo cáo", None, None, None, None, None],
        ["Tổng cộng", None, "8", "=D8+D15", None, None, None],
    ]
    merges = ["C5:E5", "A5:A6", "B5:B6", "F5:F6", "G5:G6", "A8:A9", "B8:B9"]
    return rows, merges


def test_two_header_rows_merged_group_lines_restarting_per_area_and_formulas(tmp_path: Path) -> None:
    rows, merges = _thap_muoi_rows()
    table = read_self_assessment(_write_xlsx(tmp_path / "thap_muoi.xlsx", [("TDG", rows, merges)]))
    # the letterhead on two lines ("ỦY BAN NHÂN DÂN" over "HUYỆN THÁP MƯỜI")
    assert (table.unit_name, table.unit_code, table.year) == ("HUYỆN THÁP MƯỜI", "L872", 2024)
    # the area's "=SUM(D10:D14)" has no computed value: its self-score is not stated (None),
    # never 0 and never read from the formula; its criteria carry the points
    assert _figures(table) == [
        ("1", None, D(5), None, False, None),
        ("1.1", "1", D(2), D("1.6"), False, D("1.5")),
        ("1.2", "1", D(1), D(1), False, None),
        ("1.3", "1", D(2), D("1.5"), False, None),
        ("2", None, D(3), D("2.5"), False, None),
        ("2.1", "2", D(3), D("2.5"), False, None),
        ("2.1.1", "2.1", D("1.5"), D("1.5"), False, None),
        ("2.1.2", "2.1", D("1.5"), D(1), False, None),
        ("2.1.2-1", "2.1.2", D(1), D("0.5"), False, None),
        ("2.1.2-2", "2.1.2", D("0.5"), D("0.5"), False, None),
    ]
    # wrapped text: the continuation rows join their criterion, the score on the second
    # line of criterion 3 is criterion 3's
    assert table.row("1.2").name_vi == "Thực hiện chế độ báo cáo CCHC định kỳ, đột xuất theo yêu cầu"
    assert table.row("1.2").evidence == "Báo cáo quý I, II, III và năm"
    assert table.row("1.3").name_vi == "Công tác kiểm tra CCHC (tối thiểu 30 % cơ quan, đơn vị)"
    assert table.row("1.3").explanation == "Kiểm tra 5/15 cơ quan"
    assert table.mismatches == ()
    assert [leaf.code for leaf in table.leaves()] == ["1.1", "1.2", "1.3", "2.1.1", "2.1.2-1", "2.1.2-2"]


def test_a_formula_that_is_not_a_column_sum_without_a_value_is_refused(tmp_path: Path) -> None:
    rows, merges = _thap_muoi_rows()
    rows[9][3] = "=C10*0.8"
    with pytest.raises(IngestError) as raised:
        read_self_assessment(_write_xlsx(tmp_path / "thap_muoi.xlsx", [("TDG", rows, merges)]))
    error = raised.value
    assert (error.file_name, error.sheet, error.row, error.column) == ("thap_muoi.xlsx", "TDG", 10, "D")
    assert "công thức" in error.message_vi and "formula" in error.message_en


def test_a_score_beside_its_criterion_and_on_the_wrapped_line_is_refused(tmp_path: Path) -> None:
    rows, merges = _thap_muoi_rows()
    rows[13][3] = "1,5"
    rows[12][3] = "2"  # criterion 3 states 2 and its next line 1,5: which one is it?
    with pytest.raises(IngestError) as raised:
        read_self_assessment(_write_xlsx(tmp_path / "thap_muoi.xlsx", [("TDG", rows, merges)]))
    assert (raised.value.row, raised.value.column) == (14, "D (Điểm / Tự chấm)")
    assert "không có số thứ tự" in raised.value.message_vi
    assert "no number" in raised.value.message_en


# --- .xls: an instructions sheet first, the year in the sheet name, the total at the top ----


def _write_xls(path: Path) -> Path:
    wb = xlwt.Workbook(encoding="utf-8")
    guide = wb.add_sheet("Huong dan")
    guide.write(0, 0, "HƯỚNG DẪN TỰ CHẤM ĐIỂM")
    guide.write(1, 0, "Cột 'Điểm tự đánh giá': ghi điểm đơn vị tự chấm; cột 'Điểm tối đa' giữ nguyên")
    ws = wb.add_sheet("TDG nam 2023")
    ws.write(0, 0, "UBND HUYỆN TAM NÔNG")
    ws.write(1, 0, "BẢNG TỰ CHẤM ĐIỂM CHỈ SỐ CẢI CÁCH HÀNH CHÍNH")
    header = ["STT", "Nội dung", "Điểm chuẩn", "Điểm tự chấm", "Tài liệu kiểm chứng", "Ghi chú"]
    for j, label in enumerate(header):
        ws.write(3, j, label)
    ws.write_merge(4, 4, 0, 1, "Tổng số điểm (I+II+…+VIII)")
    ws.write(4, 2, 10.5)
    ws.write(4, 3, 7.27)
    data = [
        ("I", "Công tác chỉ đạo, điều hành", 3.5, 3.1),
        ("1", "Kế hoạch CCHC", 2, 1.6),
        ("2", "Báo cáo CCHC", 1.5, 1.5),
        ("II", "Cải cách tổ chức bộ máy", 2, 1.5),
        ("1", "Sử dụng biên chế được giao", 1, 1),
        ("2", "Thực hiện phân cấp quản lý", 1, 0.5),
        ("V", "Cải cách chế độ công vụ", 5, 2.67),
        ("1", "Đào tạo, bồi dưỡng CBCCVC", 2, 1.77),
        ("1.1", "Thực hiện kế hoạch đào tạo", 1, 0.77),
        ("1.2", "Bồi dưỡng kiến thức CCHC", 1, 1),
        ("2", "Điều tra xã hội học về chất lượng công chức", 3, "ĐTXHH"),
        ("3", "Tuyển dụng công chức", None, "0,9"),
    ]
    for i, (stt, name, top, own) in enumerate(data, start=5):
        for j, value in enumerate((stt, name, top, own)):
            if value is not None:
                ws.write(i, j, value)
    wb.save(str(path))
    return path


def test_xls_instructions_sheet_first_year_in_the_sheet_name_total_at_the_top(tmp_path: Path) -> None:
    table = read_self_assessment(_write_xls(tmp_path / "bang_tu_cham.xls"))
    assert (table.sheet, table.unit_name, table.year) == ("TDG nam 2023", "HUYỆN TAM NÔNG", 2023)
    assert table.unit_code is None  # Phú Thọ has a Tam Nông too: the loader asks for the province
    assert _figures(table) == [
        ("1", None, D("3.5"), D("3.1"), False, None),
        ("1.1", "1", D(2), D("1.6"), False, None),
        ("1.2", "1", D("1.5"), D("1.5"), False, None),
        ("2", None, D(2), D("1.5"), False, None),
        ("2.1", "2", D(1), D(1), False, None),
        ("2.2", "2", D(1), D("0.5"), False, None),
        ("5", None, D(5), D("2.67"), False, None),
        ("5.1", "5", D(2), D("1.77"), False, None),
        ("5.1.1", "5.1", D(1), D("0.77"), False, None),
        ("5.1.2", "5.1", D(1), D(1), False, None),
        ("5.2", "5", D(3), None, True, None),
        ("5.3", "5", None, D("0.9"), False, None),
    ]
    # the total at the top (10,5 / 7,27) is checked against the areas below it: the areas
    # state 10,5 and 7,27; area V states 5 for parts of 5 (3 + 2; criterion 3 states none)
    assert table.mismatches == ()


# --- .csv: "Kỳ đánh giá", a dot as the decimal mark, zeros, blanks ------------------------


def test_csv_period_line_dot_decimals_zero_and_blank(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "phu_luc.csv",
        [
            "UBND THÀNH PHỐ HỒNG NGỰ",
            "PHỤ LỤC KẾT QUẢ TỰ ĐÁNH GIÁ CHỈ SỐ CCHC",
            "Kỳ đánh giá: năm 2023",
            "STT;Tiêu chí, tiêu chí thành phần;Thang điểm;Tự chấm;Ghi chú",
            "I;Cải cách tài chính công;3;1.6;",
            "1;Giải ngân vốn đầu tư công;1.0;0.25;Giải ngân 36 %",
            "2;Chuyển đổi đơn vị sự nghiệp;0.5;0;",
            "3;Quản lý tài sản công;1.500;1.350;",
            "4;Tiết kiệm chi thường xuyên;0,00;;",
            "Tổng cộng;;3,0;1,6;",
        ],
    )
    table = read_self_assessment(path)
    assert table.year == 2023
    # a single separator in a points column is the decimal mark: points have no thousands
    # ("1.500" is 1,5 points, "1.350" is 1,35, never 1500 or 1350)
    assert _figures(table) == [
        ("1", None, D(3), D("1.6"), False, None),
        ("1.1", "1", D("1.0"), D("0.25"), False, None),
        ("1.2", "1", D("0.5"), D(0), False, None),
        ("1.3", "1", D("1.5"), D("1.35"), False, None),
        ("1.4", "1", D("0.00"), None, False, None),
    ]
    assert table.mismatches == ()


def test_numbering_dotted_letters_with_dots_and_bullets_nested(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "tu_danh_gia_chau_thanh_2023.csv",
        [
            "UBND HUYỆN CHÂU THÀNH",
            "BIỂU TỰ ĐÁNH GIÁ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2023",
            "STT;Nội dung;Điểm tối đa;Điểm tự đánh giá",
            "LĨNH VỰC VII;Chính quyền số;4;3",
            "1.;Ứng dụng trong nội bộ;1,5;1,5",
            "1.1.;Hệ thống quản lý văn bản;1,5;1,5",
            "2.;Dịch vụ công trực tuyến;2,5;1,5",
            "a.;Tỷ lệ TTHC trực tuyến toàn trình;1;0,5",
            "b.;Tỷ lệ hồ sơ trực tuyến;1,5;1",
            "-;cấp huyện;1;0,5",
            "+;trực tuyến toàn trình;0,5;0",
            "+;trực tuyến một phần;0,5;0,5",
            "-;cấp xã;0,5;0,5",
            "Tổng cộng:;;4;3",
        ],
    )
    table = read_self_assessment(path)
    assert [(r.code, r.parent_code, r.level, r.max_points, r.self_score) for r in table.rows] == [
        ("7", None, 1, D(4), D(3)),
        ("7.1", "7", 2, D("1.5"), D("1.5")),
        ("7.1.1", "7.1", 3, D("1.5"), D("1.5")),
        ("7.2", "7", 2, D("2.5"), D("1.5")),
        ("7.2.1", "7.2", 3, D(1), D("0.5")),
        ("7.2.2", "7.2", 3, D("1.5"), D(1)),
        ("7.2.2-1", "7.2.2", 4, D(1), D("0.5")),
        ("7.2.2-1-1", "7.2.2-1", 5, D("0.5"), D(0)),
        ("7.2.2-1-2", "7.2.2-1", 5, D("0.5"), D("0.5")),
        ("7.2.2-2", "7.2.2", 4, D("0.5"), D("0.5")),
    ]
    assert table.mismatches == ()


@pytest.mark.parametrize(
    ("title", "unit_code"),
    [
        ("Biểu tự đánh giá Chỉ số CCHC năm 2024 của UBND huyện Tháp Mười", "L872"),
        ("KẾT QUẢ TỰ ĐÁNH GIÁ CHỈ SỐ CCHC CỦA UBND HUYỆN CAO LÃNH NĂM 2024", "L873"),
        ("Bảng tự chấm điểm của Ủy ban nhân dân thành phố Sa Đéc năm 2024", "L867"),
    ],
)
def test_the_unit_named_in_the_title_line(tmp_path: Path, title: str, unit_code: str) -> None:
    path = _write_csv(
        tmp_path / "tu_danh_gia.csv",
        [title, "STT;Tiêu chí;Điểm tối đa;Điểm tự đánh giá", "I;Chỉ đạo;2;2", "1;Kế hoạch;2;2"],
    )
    table = read_self_assessment(path)
    assert (table.unit_code, table.year) == (unit_code, 2024)


# --- refusals: what would publish a wrong number ------------------------------------------

_REFUSED = [
    ("Không áp dụng", "không áp dụng", "not applicable"),
    ("Không chấm", "không áp dụng", "not applicable"),
    ("-0,5", "âm", "negative"),
    ("2,5", "lớn hơn điểm tối đa", "above its maximum"),
    ("16", "lớn hơn điểm tối đa", "above its maximum"),
    ("1,6/2,0", "điểm tối đa", "maximum"),
    ("1.234,5", "hàng nghìn", "thousands"),
    ("80%", "phần trăm", "percent"),
    ("khoảng 1,5", "không đọc được", "cannot read"),
]


@pytest.mark.parametrize(("cell", "vi", "en"), _REFUSED)
def test_a_score_that_would_publish_a_wrong_number_is_refused(
    tmp_path: Path, cell: str, vi: str, en: str
) -> None:
    path = _write_csv(
        tmp_path / "tu_danh_gia_lai_vung.csv",
        [
            "UBND HUYỆN LAI VUNG",
            "BIỂU TỰ ĐÁNH GIÁ CHẤM ĐIỂM CHỈ SỐ CCHC NĂM 2023",
            "STT;Lĩnh vực, tiêu chí;Điểm tối đa;Điểm tự đánh giá;Tài liệu kiểm chứng",
            "I;Công tác chỉ đạo, điều hành;4;;",
            "1;Kế hoạch CCHC;2;1,5;KH số 1",
            f"2;Báo cáo CCHC;2;{cell};BC số 2",
        ],
    )
    with pytest.raises(IngestError) as raised:
        read_self_assessment(path)
    error = raised.value
    assert (error.file_name, error.row, error.column) == (
        "tu_danh_gia_lai_vung.csv",
        6,
        "D (Điểm tự đánh giá)",
    )
    assert vi in error.message_vi and en in error.message_en
    assert cell in error.message_vi
    if cell == "16":  # "1,6" typed without its comma
        assert error.message_vi == "1.2 'Báo cáo CCHC': điểm tự đánh giá 16 lớn hơn điểm tối đa 2"
        assert error.message_en == "1.2 'Báo cáo CCHC': the self-score 16 is above its maximum 2"


def test_a_score_excel_turned_into_a_date_is_refused(tmp_path: Path) -> None:
    import datetime

    rows = _lap_vo_rows()
    rows[6][5] = datetime.datetime(2023, 6, 1)  # "1.6" typed where Excel reads dates
    with pytest.raises(IngestError) as raised:
        read_self_assessment(_write_xlsx(tmp_path / "lap_vo_2023.xlsx", [("Sheet1", rows, [])]))
    assert (raised.value.row, raised.value.column) == (7, "F (Điểm tự đánh giá)")
    assert "không đọc được" in raised.value.message_vi


def test_a_maximum_above_the_whole_index_is_refused(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "tu_danh_gia.csv",
        [
            "UBND HUYỆN LAI VUNG",
            "BIỂU TỰ ĐÁNH GIÁ CHỈ SỐ CCHC NĂM 2023",
            "STT;Tiêu chí;Điểm tối đa;Điểm tự đánh giá",
            "I;Chỉ đạo;1.500;1,5",
            "1;Kế hoạch;1,5;1,5",
            "Tổng cộng;;150;1,5",
        ],
    )
    with pytest.raises(IngestError) as raised:
        read_self_assessment(path)
    assert (raised.value.row, raised.value.column) == (6, "C (Điểm tối đa)")
    assert "100" in raised.value.message_vi and "100" in raised.value.message_en


def test_an_appraised_score_above_the_maximum_is_refused(tmp_path: Path) -> None:
    path = _write_csv(
        tmp_path / "tham_dinh.csv",
        [
            "UBND HUYỆN CHÂU THÀNH",
            "KẾT QUẢ THẨM ĐỊNH CHỈ SỐ CCHC NĂM 2023",
            "STT;Nội dung;Điểm tối đa;Điểm tự đánh giá;Điểm thẩm định;Lý do",
            "I;Chỉ đạo;2;2;3;",
            "1;Kế hoạch;2;2;3;",
        ],
    )
    with pytest.raises(IngestError) as raised:
        read_self_assessment(path)
    assert (raised.value.row, raised.value.column) == (4, "E (Điểm thẩm định)")
