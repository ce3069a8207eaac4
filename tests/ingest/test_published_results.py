"""Published index results (PAR INDEX, SIPAS) read as they are published: a national table
by province under a title block (index, year, source decision and its date), ranks as
"10/63" or in two columns or out of the rows ranked, the four components of Decision 876
as points, and a stated total that differs from its parts flagged (Hòa Bình 2023: 57,04 +
8,19 + 18,34 + 4,32 = 87,89, published 86,89). A misread value rejects the file, naming its
row and column."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.headers import find_header
from ingest.inbox import classify
from ingest.published_results import read_published_results
from ingest.readers import read_sheets

KHANH_HOA = "L56"
HOA_BINH = "L17"

PAR_2024 = [  # (province, value, rank) as a national table lists them (an extract, 63 ranked)
    ("Hải Phòng", "93,16", "1/63"),
    ("Quảng Ninh", "92,88", "2/63"),
    ("Khánh Hòa", "90,49", "10/63"),
    ("Đồng Tháp", "89,20", "15/63"),
]


def write_par_index_2024(path: Path, *, rank_style: str = "slash", khanh_hoa_value: object = "90,49") -> Path:
    """The national PAR INDEX 2024 table by province: letterhead, title, source decision,
    a header "STT | Tỉnh, thành phố | Chỉ số CCHC (%) | Xếp hạng" (``rank_style`` "slash":
    "10/63"; "columns": "Xếp hạng | Tổng số đơn vị xếp hạng")."""
    wb = Workbook()
    ws = wb.active
    ws.title = "PAR INDEX 2024"
    ws.append(["BAN CHỈ ĐẠO CẢI CÁCH HÀNH CHÍNH CỦA CHÍNH PHỦ"])
    ws.append(["KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM 2024 CỦA CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG"])
    ws.append(["(Kèm theo Quyết định số 456/QĐ-BCĐCCHC ngày 15 tháng 5 năm 2025 của Ban Chỉ đạo CCHC)"])
    ws.append([])
    if rank_style == "slash":
        ws.append(["STT", "Tỉnh, thành phố", "Chỉ số CCHC (%)", "Xếp hạng"])
    else:
        ws.append(["STT", "Địa phương", "Giá trị (%)", "Thứ hạng", "Tổng số đơn vị xếp hạng"])
    for n, (province, value, rank) in enumerate(PAR_2024, 1):
        if province == "Khánh Hòa":
            value = khanh_hoa_value
        if rank_style == "slash":
            ws.append([n, province, value, rank])
        else:
            place, out_of = rank.split("/")
            ws.append([n, province, value, int(place), int(out_of)])
    wb.save(path)
    return path


HOA_BINH_2023 = ("57,04/61,5", "8,19/10", "18,34/22", "4,32/6,5")


def write_components_2023(path: Path, *, hoa_binh_total: str = "86,89") -> Path:
    """The PAR INDEX 2023 with its four components (Decision 876) as points of their
    maximum, and no rank out of (the rows ranked give it)."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Thành phần"
    ws.append(["KẾT QUẢ CHỈ SỐ CCHC NĂM 2023 CỦA CÁC TỈNH (PAR INDEX 2023)"])
    ws.append(["Nguồn: Quyết định số 123/QĐ-BCĐCCHC ngày 10/4/2024"])
    ws.append(
        [
            "STT",
            "Tỉnh, thành phố",
            "Điểm tự đánh giá được thẩm định",
            "SIPAS",
            "Điều tra xã hội học",
            "Tác động",
            "Chỉ số CCHC (%)",
            "Xếp hạng",
            "Nhóm",
        ]
    )
    ws.append([1, "Quảng Ninh", "58,10/61,5", "8,90/10", "19,20/22", "5,00/6,5", "91,20", 1, "A"])
    ws.append([2, "Hòa Bình", *HOA_BINH_2023, hoa_binh_total, 2, "A"])
    ws.append([3, "Khánh Hòa", "55,00/61,5", "8,00/10", "17,00/22", "4,00/6,5", "84,00", 3, "B"])
    wb.save(path)
    return path


def test_khanh_hoa_par_index_2024_in_a_national_table(tmp_path: Path) -> None:
    path = write_par_index_2024(tmp_path / "par_index_2024.xlsx")
    assert classify(path, path.name) == {"published_index_results": ["PAR INDEX 2024"]}
    (table,) = read_published_results(path).tables
    assert (table.index_kind, table.year) == ("par_index", 2024)
    assert table.source_text is not None and "456/QĐ-BCĐCCHC" in table.source_text
    assert table.as_of_date == date(2025, 5, 15)
    assert [r.unit_code for r in table.rows] == ["L31", "L22", KHANH_HOA, "L87"]
    row = table.row(KHANH_HOA)
    assert (row.value_percent, row.rank, row.rank_out_of) == (Decimal("90.4900"), 10, 63)
    assert table.mismatches == ()


def test_rank_and_rank_out_of_in_separate_columns(tmp_path: Path) -> None:
    path = write_par_index_2024(tmp_path / "chi_so_cchc_2024.xlsx", rank_style="columns")
    (table,) = read_published_results(path).tables
    row = table.row(KHANH_HOA)
    assert (row.value_percent, row.rank, row.rank_out_of) == (Decimal("90.49"), 10, 63)
    assert table.index_kind == "par_index"


def test_hoa_binh_2023_components_with_a_wrong_total_are_flagged(tmp_path: Path) -> None:
    path = write_components_2023(tmp_path / "par_index_2023_thanh_phan.xlsx")
    (table,) = read_published_results(path).tables
    assert (table.index_kind, table.year, table.as_of_date) == ("par_index", 2023, date(2024, 4, 10))
    row = table.row(HOA_BINH)
    assert [(c.name_vi, c.points, c.max_points) for c in row.components] == [
        ("Điểm tự đánh giá được thẩm định", Decimal("57.04"), Decimal("61.5")),
        ("SIPAS", Decimal("8.19"), Decimal("10")),
        ("Điều tra xã hội học", Decimal("18.34"), Decimal("22")),
        ("Tác động", Decimal("4.32"), Decimal("6.5")),
    ]
    assert (row.value_percent, row.rank, row.rank_out_of, row.group_label) == (Decimal("86.89"), 2, 3, "A")
    (mismatch,) = table.mismatches
    assert (mismatch.unit_code, mismatch.source_row, mismatch.stated, mismatch.parts) == (
        HOA_BINH,
        5,
        Decimal("86.89"),
        Decimal("87.89"),
    )
    message = mismatch.message_vi()
    assert "par_index_2023_thanh_phan.xlsx" in message and "dòng 5" in message and "Hòa Bình" in message
    assert "86,89" in message and "87,89" in message


def test_a_total_equal_to_its_parts_is_no_finding(tmp_path: Path) -> None:
    path = write_components_2023(tmp_path / "par_2023.xlsx", hoa_binh_total="87,89")
    (table,) = read_published_results(path).tables
    assert table.mismatches == ()


@pytest.mark.parametrize("misread", ["9049", 9049, "190,5"])
def test_a_value_that_is_not_a_percentage_is_rejected_naming_row_and_column(
    tmp_path: Path, misread: object
) -> None:
    path = write_par_index_2024(tmp_path / "par_2024_sai.xlsx", khanh_hoa_value=misread)
    with pytest.raises(IngestError) as caught:
        read_published_results(path)
    error = caught.value
    assert (error.file_name, error.row) == ("par_2024_sai.xlsx", 8)
    assert error.column is not None and "Chỉ số CCHC" in error.column
    assert "0 đến 100" in error.full_message_vi


def test_a_percent_formatted_cell_is_rejected_not_read_as_a_fraction(tmp_path: Path) -> None:
    """Excel stores 90,49 % in a cell formatted as a percentage as 0.9049: never 0.9049 %."""
    path = write_par_index_2024(tmp_path / "par_2024_phan_tram.xlsx", khanh_hoa_value=0.9049)
    with pytest.raises(IngestError) as caught:
        read_published_results(path)
    error = caught.value
    assert (error.file_name, error.row) == ("par_2024_phan_tram.xlsx", 8)
    assert "dưới 1 %" in error.full_message_vi and "90,49" in error.full_message_vi


def test_sipas_and_a_provinces_districts_table(tmp_path: Path) -> None:
    """SIPAS told by its title; districts resolved in the province the title names; a
    department (not an administrative unit) left out; groups from heading rows."""
    wb = Workbook()
    ws = wb.active
    ws.append(["UBND TỈNH ĐỒNG THÁP"])
    ws.append(["KẾT QUẢ CHỈ SỐ HÀI LÒNG VỀ SỰ PHỤC VỤ HÀNH CHÍNH (SIPAS) NĂM 2023"])
    ws.append(["TT", "Đơn vị", "Chỉ số (%)", "Thứ hạng"])
    ws.append(["A", "Nhóm A", None, None])
    ws.append([1, "Thành phố Sa Đéc", "88,5", 1])
    ws.append([2, "Sở Nội vụ", "87,1", 2])
    ws.append(["B", "Nhóm B", None, None])
    ws.append([3, "Huyện Lai Vung", 85.25, 3])
    path = tmp_path / "sipas_2023_dong_thap.xlsx"
    wb.save(path)
    (table,) = read_published_results(path).tables
    assert (table.index_kind, table.year) == ("sipas", 2023)
    assert [(r.unit_code, r.value_percent, r.group_label) for r in table.rows] == [
        ("L867", Decimal("88.5"), "A"),
        ("L876", Decimal("85.25"), "B"),
    ]
    assert table.left_out == ("Sở Nội vụ",)


def test_other_families_are_not_taken_for_published_tables() -> None:
    rows = [("STT", "Đơn vị", "Điểm tối đa", "Điểm tự đánh giá", "Điểm thẩm định")]
    match = find_header(rows)
    assert match is not None and match.family == "self_assessment"


def test_the_sheets_are_read_as_the_inbox_reads_them(tmp_path: Path) -> None:
    path = write_par_index_2024(tmp_path / "par.xlsx")
    sheets = read_sheets(path)
    (table,) = read_published_results(path, sheets=sheets).tables
    assert table.sheet == "PAR INDEX 2024"


def test_a_unit_listed_twice_is_rejected(tmp_path: Path) -> None:
    wb = Workbook()
    ws = wb.active
    ws.append(["CHỈ SỐ CCHC NĂM 2024"])
    ws.append(["STT", "Tỉnh, thành phố", "Chỉ số CCHC (%)", "Xếp hạng"])
    ws.append([1, "Khánh Hòa", "90,49", 1])
    ws.append([2, "Khánh Hoà", "89,00", 2])
    path = tmp_path / "par_2024_trung.xlsx"
    wb.save(path)
    with pytest.raises(IngestError) as caught:
        read_published_results(path)
    assert caught.value.row == 4 and "dòng 3" in caught.value.full_message_vi


def test_ministries_and_averages_are_not_units(tmp_path: Path) -> None:
    """A national table listing the ministries first: their section is left out, the
    provinces' section read, the national average skipped; the rank out of the rows ranked."""
    wb = Workbook()
    ws = wb.active
    ws.append(["KẾT QUẢ CHỈ SỐ CCHC NĂM 2024"])
    ws.append(["STT", "Bộ, ngành, địa phương", "Chỉ số CCHC (%)", "Xếp hạng"])
    ws.append(["I", "CÁC BỘ, CƠ QUAN NGANG BỘ", None, None])
    ws.append([1, "Ngân hàng Nhà nước Việt Nam", "91,02", 1])
    ws.append([2, "Bộ Tư pháp", "88,10", 2])
    ws.append(["II", "UBND CÁC TỈNH, THÀNH PHỐ TRỰC THUỘC TRUNG ƯƠNG", None, None])
    ws.append([1, "Hải Phòng", "93,16", 1])
    ws.append([2, "Khánh Hòa", "90,49", 2])
    ws.append([None, "Trung bình", "88,00", None])
    path = tmp_path / "par_index_2024_bo_tinh.xlsx"
    wb.save(path)
    (table,) = read_published_results(path).tables
    assert [(r.unit_code, r.rank, r.rank_out_of) for r in table.rows] == [("L31", 1, 2), (KHANH_HOA, 2, 2)]
