"""A unit's procedure catalogue (danh mục TTHC) read as units and the national database
export it: an .xlsx under a letterhead and a title naming the unit and the catalogue's date,
heading rows for the level and the field, a merged "Quyết định công bố" over "Số | Ngày";
a CSV with the database's field names (MaTTHC, TenTTHC, NgayCongBo …) for two units. Told
apart from record exports (which have Mã TTHC too). Every value that cannot be read refuses
the file, naming file, row and column; a procedure listed twice names both rows."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest
from openpyxl import Workbook

from ingest.errors import IngestError
from ingest.inbox import classify, load_family, register_inbox
from ingest.procedure_catalogue import read_procedure_catalogue
from tests.ingest.conftest import write_csv

SA_DEC = "L867"
HONG_NGU = "L868"
RUN = "run-catalogue"

#: Sa Đéc's catalogue (codes of the demo's district procedures): code, name, level, online
#: level, fee, paper result, decision number, decision date, legal basis effective on
SA_DEC_PROCEDURES = [
    ("1.004227.000.00.00.H17", "Đăng ký đất đai lần đầu", "Cấp huyện", "Một phần", "50.000", "Có",
     "1234/QĐ-UBND", "15/03/2024", "01/03/2024"),
    ("1.009994.000.00.00.H17", "Cấp giấy phép xây dựng", "Cấp huyện", "Một phần", "Miễn phí", "Có",
     "1234/QĐ-UBND", "15/03/2024", "10/03/2024"),
    ("1.001022.000.00.00.H17", "Đăng ký khai sinh", "Cấp tỉnh, Cấp huyện", "Toàn trình", "8.000", "Không",
     "567/QĐ-UBND", "20/01/2024", "01/01/2024"),
    ("2.000720.000.00.00.H17", "Đăng ký thành lập hộ kinh doanh", None, "Toàn trình", "100.000", "Có",
     "567/QĐ-UBND", "20/01/2024", "01/01/2024"),
]  # fmt: skip


def write_sa_dec_catalogue(
    path: Path,
    procedures: list[tuple] | None = None,
    *,
    title: str = "(cập nhật đến ngày 30/6/2024)",
    unit: str = "THÀNH PHỐ SA ĐÉC",
) -> Path:
    """Sa Đéc's catalogue as a district writes it: letterhead, a title naming the unit and
    the catalogue's date, a two-row header ("Quyết định công bố" over "Số | Ngày"), heading
    rows for the level and the fields, a note column."""
    wb = Workbook()
    ws = wb.active
    ws.title = "Danh mục TTHC"
    ws.append(["UBND TỈNH ĐỒNG THÁP"])
    ws.append([f"DANH MỤC THỦ TỤC HÀNH CHÍNH THUỘC THẨM QUYỀN GIẢI QUYẾT CỦA UBND {unit} {title}".strip()])
    ws.append([])
    ws.append(
        ["STT", "Mã TTHC", "Tên thủ tục hành chính", "Cấp thực hiện", "Mức độ DVC", "Phí, lệ phí (đồng)",
         "Trả kết quả bản giấy", "Quyết định công bố", None, "Ngày có hiệu lực của văn bản quy định",
         "Ghi chú"]
    )  # fmt: skip
    ws.append([None] * 7 + ["Số", "Ngày"])
    ws.merge_cells("H4:I4")
    for column in "ABCDEFGJK":
        ws.merge_cells(f"{column}4:{column}5")
    ws.append(["A", "THỦ TỤC HÀNH CHÍNH CẤP HUYỆN"])
    fields = {0: "I. Lĩnh vực Đất đai", 1: "II. Lĩnh vực Xây dựng", 2: "III. Lĩnh vực Hộ tịch"}
    for n, (code, name, level, online, fee, paper, decision, on, effective) in enumerate(
        procedures if procedures is not None else SA_DEC_PROCEDURES, 1
    ):
        if n - 1 in fields:
            ws.append([None, fields[n - 1]])
        ws.append([n, code, name, level, online, fee, paper, decision, on, effective, None])
    ws.append([])
    ws.append([None, None, "Tổng số: 4 thủ tục"])
    wb.save(path)
    return path


PORTAL_HEADER = [
    "MaDonVi", "MaTTHC", "TenTTHC", "CapThucHien", "TenLinhVuc", "MucDo", "CoPhi", "PhiLePhi",
    "KetQuaBanGiay", "QuyetDinhCongBo", "NgayCongBo", "NgayHieuLuc", "NgayCapNhat", "CongKhaiDayDu",
    "NgayTrichXuat",
]  # fmt: skip


def portal_rows() -> list[list]:
    """Two units in the national database's export: ISO dates, an Excel serial, 1/0."""
    return [
        PORTAL_HEADER,
        ["867", "1.004227.000.00.00.H17", "Đăng ký đất đai lần đầu", "Cấp Huyện", "Đất đai", "Một phần", "1",
         "50000", "1", "1234/QĐ-UBND", "2024-03-15", "2024-03-01", "2024-03-20", "1", "2024-07-01"],
        ["867", "1.001776.000.00.00.H17", "Trợ cấp xã hội hằng tháng", "Cấp Huyện", "Bảo trợ xã hội",
         "Toàn trình", "0", "", "0", "567/QĐ-UBND", "2024-01-20", "45292", "", "0", "2024-07-01"],
        ["868", "1.004227.000.00.00.H17", "Đăng ký đất đai lần đầu", "Cấp Huyện", "Đất đai",
         "Cung cấp thông tin", "1", "50000", "1", "1234/QĐ-UBND", "2024-03-15", "2024-03-01", "",
         "1", "2024-07-01"],
    ]  # fmt: skip


def test_sa_dec_catalogue_under_its_title_block(tmp_path: Path) -> None:
    path = write_sa_dec_catalogue(tmp_path / "danh_muc_tthc_sa_dec.xlsx")
    assert classify(path, path.name) == {"procedure_catalogue": ["Danh mục TTHC"]}
    catalogue = read_procedure_catalogue(path)
    rows = catalogue.rows
    assert [r.procedure_code for r in rows] == [p[0] for p in SA_DEC_PROCEDURES]
    assert {r.unit_code for r in rows} == {SA_DEC}
    assert {r.as_of_date for r in rows} == {date(2024, 6, 30)}
    land, building, birth, business = rows
    assert (land.source_row, land.procedure_name, land.field) == (8, "Đăng ký đất đai lần đầu", "Đất đai")
    assert (building.field, birth.field, business.field) == ("Xây dựng", "Hộ tịch", "Hộ tịch")
    # "Cấp tỉnh, Cấp huyện" in a district's catalogue is the district's level; blank: the heading's
    assert [r.authority_level for r in rows] == ["huyen"] * 4
    assert [r.online_level for r in rows] == ["mot_phan", "mot_phan", "toan_trinh", "toan_trinh"]
    assert [(r.has_fee, r.fee_amount) for r in rows] == [
        (True, Decimal("50000")), (False, Decimal("0")), (True, Decimal("8000")), (True, Decimal("100000")),
    ]  # fmt: skip
    assert [r.returns_paper_result for r in rows] == [True, True, False, True]
    assert (land.publication_decision, land.published_on) == ("1234/QĐ-UBND", date(2024, 3, 15))
    assert land.legal_basis_effective_on == date(2024, 3, 1)
    assert (land.updated_on, land.is_published_complete) == (None, None)
    (table,) = catalogue.tables
    assert any("Ghi chú" in en for en, _ in table.ignored)
    assert "→ publication_decision" in table.column_map and "→ published_on" in table.column_map


def test_the_national_database_export_with_two_units(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "csdl_tthc_dong_thap.csv", portal_rows())
    assert classify(path, path.name) == {"procedure_catalogue": [None]}
    rows = read_procedure_catalogue(path).rows
    assert [(r.unit_code, r.source_row) for r in rows] == [(SA_DEC, 2), (SA_DEC, 3), (HONG_NGU, 4)]
    land, allowance, hong_ngu = rows
    assert land.as_of_date == date(2024, 7, 1)
    assert (land.has_fee, land.fee_amount, land.returns_paper_result) == (True, Decimal(50000), True)
    assert (land.updated_on, land.is_published_complete) == (date(2024, 3, 20), True)
    # an empty fee cell is not stated; the Excel serial 45292 is 01/01/2024
    assert (allowance.has_fee, allowance.fee_amount) == (False, None)
    assert allowance.legal_basis_effective_on == date(2024, 1, 1)
    assert allowance.authority_level == "huyen" and allowance.field == "Bảo trợ xã hội"
    # the portal's information-only service is not online
    assert hong_ngu.online_level == "none"


def test_unit_from_the_file_name_marks_and_excel_dates(tmp_path: Path) -> None:
    """No unit column and no title: the unit's GSO code in the file name; online level as
    two columns marked "x" under "Mức độ DVC"; the paper result marked "x" (blank: no);
    Excel dates; the decision's date read from its text."""
    wb = Workbook()
    ws = wb.active
    ws.append(["Danh mục thủ tục hành chính (cập nhật đến ngày 05 tháng 7 năm 2024)"])
    ws.append(["Mã số TTHC", "Tên TTHC", "Lĩnh vực", "Mức độ DVC", None, "Kết quả bản giấy",
               "Quyết định công bố", "Ngày hiệu lực", "Ngày công khai"])  # fmt: skip
    ws.append([None, None, None, "Toàn trình", "Một phần"])
    ws.merge_cells("D2:E2")
    for column in "ABCFGHI":
        ws.merge_cells(f"{column}2:{column}3")
    ws.append(
        [
            "1.001022.000.00.00.H17",
            "Đăng ký khai sinh",
            "Hộ tịch",
            "x",
            None,
            None,
            "Quyết định số 567/QĐ-UBND ngày 20/01/2024",
            datetime(2024, 1, 1),
            datetime(2024, 1, 25),
        ]
    )
    ws.append(
        [
            "1.004227.000.00.00.H17",
            "Đăng ký đất đai",
            "Đất đai",
            None,
            "x",
            "x",
            "1234/QĐ-UBND",
            datetime(2024, 3, 1),
            None,
        ]
    )
    ws.append(["1.001055.000.00.00.H17", "Thông báo tổ chức tôn giáo", "Tôn giáo", None, None, "x",
               "1234/QĐ-UBND", datetime(2024, 3, 1), None])  # fmt: skip
    path = tmp_path / "danh_muc_tthc_868_2024_06.xlsx"
    wb.save(path)
    assert classify(path, path.name) == {"procedure_catalogue": ["Sheet"]}
    birth, land, religion = read_procedure_catalogue(path).rows
    assert {birth.unit_code, land.unit_code} == {HONG_NGU}
    assert birth.as_of_date == date(2024, 7, 5)
    assert [r.online_level for r in (birth, land, religion)] == ["toan_trinh", "mot_phan", "none"]
    assert [r.returns_paper_result for r in (birth, land, religion)] == [False, True, True]
    assert (birth.publication_decision, birth.published_on) == (
        "Quyết định số 567/QĐ-UBND ngày 20/01/2024",
        date(2024, 1, 20),
    )
    assert (birth.legal_basis_effective_on, birth.updated_on) == (date(2024, 1, 1), date(2024, 1, 25))
    assert (land.published_on, land.authority_level) == (None, None)


def test_record_exports_and_other_families_route_as_before(tmp_path: Path) -> None:
    """A record export has Mã TTHC too, and may name the procedure: its dossier id and
    received date make it records, never a catalogue."""
    records = write_csv(
        tmp_path / "hoso_867_2024.csv",
        [
            [
                "MaHoSo",
                "MaTTHC",
                "TenTTHC",
                "MucDo",
                "CoPhi",
                "KetQuaBanGiay",
                "KenhThucHien",
                "NgayTiepNhan",
            ],
            ["HS-1", "1.004227.000.00.00.H17", "Đăng ký đất đai", "Một phần", "1", "1", "2", "2024-03-01"],
        ],  # fmt: skip
    )
    assert classify(records, records.name) == {"dossier_records": [None]}
    demo_header = [
        "dossier_id", "unit_code", "authority_level", "procedure_code", "field", "channel",
        "received_at", "due_at", "finished_at", "online_level", "fully_online_eligible",
        "digitised", "electronic_result", "fee_required", "paid_online", "citizen_rating",
    ]  # fmt: skip
    demo = write_csv(tmp_path / "records_demo.csv", [demo_header, ["HS-1", "867", *[""] * 14]])
    assert classify(demo, demo.name) == {"dossier_records": [None]}
    # a catalogue with a received date is not a catalogue (and not loadable records either)
    mixed = write_csv(
        tmp_path / "mixed.csv",
        [
            ["Mã TTHC", "Tên TTHC", "Mức độ DVC", "Ngày công bố", "Ngày tiếp nhận"],
            ["1.1", "X", "Một phần", "", ""],
        ],
    )
    assert "procedure_catalogue" not in classify(mixed, mixed.name)


def _refusal(tmp_path: Path, procedures: list[tuple], **kwargs: str) -> IngestError:
    path = write_sa_dec_catalogue(tmp_path / "danh_muc_sai.xlsx", procedures, **kwargs)
    with pytest.raises(IngestError) as caught:
        read_procedure_catalogue(path)
    error = caught.value
    assert error.file_name == "danh_muc_sai.xlsx" and error.sheet == "Danh mục TTHC"
    return error


def _with(index: int, position: int, value: object) -> list[tuple]:
    changed = [list(p) for p in SA_DEC_PROCEDURES]
    changed[index][position] = value
    return [tuple(p) for p in changed]


@pytest.mark.parametrize(
    ("index", "position", "value", "row", "column", "words"),
    [
        (1, 7, "31/02/2024", 10, "I (Quyết định công bố / Ngày)", "không đọc được '31/02/2024' thành ngày"),
        (0, 8, "sắp có hiệu lực", 8, "J (Ngày có hiệu lực của văn bản quy định)", "thành ngày"),
        (0, 4, "50.000,5", 8, "F (Phí, lệ phí (đồng))", "không có phần thập phân"),
        (2, 4, "Theo Thông tư 85/2019/TT-BTC", 12, "F (Phí, lệ phí (đồng))", "không phải mức phí"),
        (0, 2, "Cấp tỉnh, Cấp xã", 8, "D (Cấp thực hiện)", "không phải cấp thực hiện"),
        (0, 2, "Cấp trung ương", 8, "D (Cấp thực hiện)", "không phải cấp thực hiện"),
        (3, 3, "Mức độ 5", 13, "E (Mức độ DVC)", "không phải mức độ dịch vụ công"),
        (1, 5, "Có thể", 10, "G (Trả kết quả bản giấy)", "không phải có/không"),
        (2, 0, 1.00102, 12, "B (Mã TTHC)", "bị lưu thành số"),
        (3, 1, None, 13, "C (Tên thủ tục hành chính)", "không ghi tên thủ tục"),
    ],
)
def test_a_value_that_cannot_be_read_refuses_the_file_at_its_cell(
    tmp_path: Path, index: int, position: int, value: object, row: int, column: str, words: str
) -> None:
    error = _refusal(tmp_path, _with(index, position, value))
    assert (error.row, error.column) == (row, column)
    assert words in error.full_message_vi, error.full_message_vi
    assert str(error).startswith(f"file danh_muc_sai.xlsx, sheet Danh mục TTHC, row {row}, column {column}: ")


def test_a_procedure_listed_twice_names_both_rows(tmp_path: Path) -> None:
    error = _refusal(tmp_path, [*SA_DEC_PROCEDURES, SA_DEC_PROCEDURES[0]])
    assert (error.row, error.column) == (14, "B (Mã TTHC)")
    assert "thủ tục 1.004227.000.00.00.H17 có hai lần trong danh mục của đơn vị L867 (dòng 8 và dòng 14)" in (
        error.full_message_vi
    )
    assert "(row 8 and row 14)" in str(error)


def test_a_catalogue_without_its_date_or_unit_is_refused(tmp_path: Path) -> None:
    error = _refusal(tmp_path, SA_DEC_PROCEDURES, title="")
    assert "danh mục không ghi ngày" in error.full_message_vi
    error = _refusal(tmp_path, SA_DEC_PROCEDURES, unit="HUYỆN KHÔNG CÓ")
    assert "unknown unit" in str(error)


def test_a_fee_where_the_catalogue_says_none_is_refused(tmp_path: Path) -> None:
    rows = [PORTAL_HEADER, portal_rows()[1][:6] + ["Không", "50.000"] + portal_rows()[1][8:]]
    path = write_csv(tmp_path / "csdl.csv", rows)
    with pytest.raises(IngestError) as caught:
        read_procedure_catalogue(path)
    assert (caught.value.row, caught.value.column) == (2, "H (PhiLePhi)")
    assert "ghi không thu phí nhưng có mức phí 50.000 đồng" in caught.value.full_message_vi


def test_the_inbox_loads_a_catalogue_and_a_later_one_is_kept_beside_it(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_sa_dec_catalogue(inbox / "danh_muc_tthc_sa_dec.xlsx")
    write_csv(inbox / "csdl_tthc_dong_thap.csv", portal_rows())
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert {o.family for o in outcomes} == {"procedure_catalogue"}
    report = load_family(con, "procedure_catalogue", quarantine, RUN)
    assert (report.files_loaded, report.files_rejected, report.rows_loaded) == (2, 0, 7)
    manifest = con.execute(
        "select file_name, unit_codes, period_labels, message from raw.file_manifest order by file_name"
    ).fetchall()
    assert [m[:3] for m in manifest] == [
        ("csdl_tthc_dong_thap.csv", [SA_DEC, HONG_NGU], ["2024-07-01"]),
        ("danh_muc_tthc_sa_dec.xlsx", [SA_DEC], ["2024-06-30"]),
    ]
    assert "columns not loaded: K (Ghi chú) (not understood)" in manifest[1][3]
    stored = con.execute(
        "select procedure_code, fee_amount, returns_paper_result, published_on from raw.procedure_catalogue"
        " where unit_code = 'L867' and procedure_code = '1.004227.000.00.00.H17' order by as_of_date"
    ).fetchall()
    assert (
        stored
        == [
            ("1.004227.000.00.00.H17", Decimal("50000.00"), True, date(2024, 3, 15)),
        ]
        * 2
    )
