"""The file readers on real .xlsx, .xls, .ods and .docx files: values, merged ranges, true
row numbers, header scans (``max_rows``), damaged and unsupported files, quarantine copies."""

from __future__ import annotations

import unicodedata
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from ingest.errors import IngestError, ReadError
from ingest.quarantine import quarantine_file
from ingest.readers import Sheet, file_kind, read_sheets
from tests.ingest.format_writers import (
    add_docx_table,
    write_docx_grid,
    write_ods_grid,
    write_xls_grid,
    write_xlsx_grid,
)

NFD_UNIT = unicodedata.normalize("NFD", "Xã Tân Phú Đông")
TITLES = [
    "Phụ lục 2",
    "Đơn vị báo cáo: UBND huyện Cao Lãnh, tỉnh Đồng Tháp",
    "Kỳ báo cáo: Năm 2023",
]
# a 3-row header: a group cell over three sub-labels, the first two columns merged down
TABLE = [
    ["STT", "Đơn vị", "Số hồ sơ tiếp nhận", None, None],
    [None, None, "Tổng số", "Trong đó", None],
    [None, None, None, "Trực tuyến", "Trực tiếp"],
    ["1", NFD_UNIT, "58.053", "40.000", "18.053"],
    ["2", "Xã Mỹ Long", "1.234", "1.000", "234"],
    ["Tổng cộng", None, "59.287", "41.000", "18.287"],
]
TABLE_MERGES = [(0, 0, 2, 0), (0, 1, 2, 1), (0, 2, 0, 4), (1, 2, 2, 2), (1, 3, 1, 4), (5, 0, 5, 1)]
GRID = [[t] for t in TITLES] + TABLE  # the titles sit in column A above the table
GRID_MERGES = [(r0 + 3, c0, r1 + 3, c1) for r0, c0, r1, c1 in TABLE_MERGES]

EXPECTED_ROWS = [
    ("Phụ lục 2",),
    ("Đơn vị báo cáo: UBND huyện Cao Lãnh, tỉnh Đồng Tháp",),
    ("Kỳ báo cáo: Năm 2023",),
    ("STT", "Đơn vị", "Số hồ sơ tiếp nhận"),
    (None, None, "Tổng số", "Trong đó"),
    (None, None, None, "Trực tuyến", "Trực tiếp"),
    ("1", NFD_UNIT, "58.053", "40.000", "18.053"),
    ("2", "Xã Mỹ Long", "1.234", "1.000", "234"),
    ("Tổng cộng", None, "59.287", "41.000", "18.287"),
]
EXPECTED_MERGES = [(3, 0, 5, 0), (3, 1, 5, 1), (3, 2, 3, 4), (4, 2, 5, 2), (4, 3, 4, 4), (8, 0, 8, 1)]


def _write_all(tmp_path: Path) -> dict[str, Path]:
    return {
        "xlsx": write_xlsx_grid(tmp_path / "bieu.xlsx", GRID, GRID_MERGES),
        "xls": write_xls_grid(tmp_path / "bieu.xls", GRID, GRID_MERGES),
        "ods": write_ods_grid(tmp_path / "bieu.ods", GRID, GRID_MERGES, header_rows=(3, 5)),
        "docx": write_docx_grid(tmp_path / "bieu.docx", TABLE, TABLE_MERGES, TITLES),
    }


def _only(path: Path, max_rows: int | None = None) -> Sheet:
    sheets = read_sheets(path, max_rows=max_rows)
    assert len(sheets) == 1
    return sheets[0]


def test_file_kind() -> None:
    assert file_kind("a.XLS") == "xls"
    assert file_kind("dir.x/b.Ods") == "ods"
    assert file_kind("c.DOCX") == "docx"
    assert file_kind("d.xlsm") == "xlsx"
    assert file_kind("e.xlsx") == "xlsx"
    assert file_kind("f.csv.gz") == "csv.gz"
    assert file_kind("g.doc") is None
    assert file_kind("h.xlsb") is None


def test_every_format_gives_the_same_rows_and_merges(tmp_path: Path) -> None:
    files = _write_all(tmp_path)
    read = {kind: _only(path) for kind, path in files.items()}
    assert read["docx"].name == "Bảng 1"
    assert {read[k].name for k in ("xlsx", "xls", "ods")} == {"Biểu 1"}
    for kind, sheet in read.items():
        assert sheet.rows == EXPECTED_ROWS, kind
        assert sheet.merges == EXPECTED_MERGES, kind
    # the NFD text is given back as written (the parsers normalise it)
    assert all(sheet.rows[6][1] == NFD_UNIT for sheet in read.values())


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods"])
def test_true_row_numbers_when_the_sheet_starts_with_empty_rows(tmp_path: Path, kind: str) -> None:
    writer = {"xlsx": write_xlsx_grid, "xls": write_xls_grid, "ods": write_ods_grid}[kind]
    path = writer(tmp_path / f"offset.{kind}", GRID, GRID_MERGES, origin=(4, 2))
    sheet = _only(path)
    assert sheet.rows[:4] == [(), (), (), ()]
    assert sheet.rows[4] == (None, None, "Phụ lục 2")
    assert sheet.rows[4 + 6] == (None, None, "1", NFD_UNIT, "58.053", "40.000", "18.053")
    assert sheet.merges == [(r0 + 4, c0 + 2, r1 + 4, c1 + 2) for r0, c0, r1, c1 in EXPECTED_MERGES]


VALUES = [
    ["Đơn vị", "Số lượng", "Tỷ lệ", "Ngày số liệu", "Thời điểm", "Ghi chú", None, "Cuối"],
    [NFD_UNIT, 58053, 91.33, date(2023, 6, 30), datetime(2023, 8, 25, 14, 30), "0123", None, -2.5],
    ["Xã Mỹ Long", 0, 0.5, date(2024, 1, 1), datetime(2024, 1, 1, 0, 5), "khoảng 300", None, None],
]


@pytest.mark.parametrize("kind", ["xls", "ods"])
def test_calamine_values(tmp_path: Path, kind: str) -> None:
    writer = write_xls_grid if kind == "xls" else write_ods_grid
    sheet = _only(writer(tmp_path / f"values.{kind}", VALUES, origin=(1, 0)))
    assert sheet.rows == [
        (),
        ("Đơn vị", "Số lượng", "Tỷ lệ", "Ngày số liệu", "Thời điểm", "Ghi chú", None, "Cuối"),
        (NFD_UNIT, 58053, 91.33, date(2023, 6, 30), datetime(2023, 8, 25, 14, 30), "0123", None, -2.5),
        ("Xã Mỹ Long", 0, 0.5, date(2024, 1, 1), datetime(2024, 1, 1, 0, 5), "khoảng 300"),
    ]
    number, whole_zero = sheet.rows[2][1], sheet.rows[3][1]
    assert type(number) is int and type(whole_zero) is int  # 58053.0 → 58053
    assert type(sheet.rows[2][2]) is float and type(sheet.rows[2][7]) is float
    assert type(sheet.rows[2][3]) is date and type(sheet.rows[2][4]) is datetime


def test_xlsx_values_are_unchanged(tmp_path: Path) -> None:
    sheet = _only(write_xlsx_grid(tmp_path / "values.xlsx", VALUES, origin=(1, 0)))
    assert sheet.rows[2][:3] == (NFD_UNIT, 58053, 91.33)
    assert type(sheet.rows[2][1]) is int
    # openpyxl gives dates as datetimes, as it always did
    assert sheet.rows[2][3] == datetime(2023, 6, 30)
    assert sheet.rows[2][4:6] == (datetime(2023, 8, 25, 14, 30), "0123")
    assert sheet.rows[3] == (
        "Xã Mỹ Long",
        0,
        0.5,
        datetime(2024, 1, 1),
        datetime(2024, 1, 1, 0, 5),
        "khoảng 300",
    )
    assert sheet.merges == []


def test_xlsx_formula_cached_values_and_error_cells(tmp_path: Path) -> None:
    """A formula gives its cached value and an error cell its text: a broken formula is
    reported, never read as an empty cell."""
    path = write_xlsx_grid(tmp_path / "f.xlsx", [["Đơn vị", "Tổng", "Tỷ lệ"], ["Xã A", 7, 1]])
    with zipfile.ZipFile(path) as zin:
        parts = {n: zin.read(n) for n in zin.namelist()}
    xml = parts["xl/worksheets/sheet1.xml"].decode()
    xml = xml.replace('<c r="B2" t="n"><v>7</v></c>', '<c r="B2"><f>3+4</f><v>7</v></c>')
    xml = xml.replace('<c r="C2" t="n"><v>1</v></c>', '<c r="C2" t="e"><f>1/0</f><v>#DIV/0!</v></c>')
    assert "<f>1/0</f>" in xml and "<f>3+4</f>" in xml
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w") as zout:
        for name, data in parts.items():
            zout.writestr(name, data)
    assert _only(path).rows == [("Đơn vị", "Tổng", "Tỷ lệ"), ("Xã A", 7, "#DIV/0!")]


def test_xlsx_hidden_sheets_are_read(tmp_path: Path) -> None:
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.title = "Biểu"
    wb.active.append(["a"])
    hidden = wb.create_sheet("Ẩn")
    hidden.append(["b", 2])
    hidden.merge_cells("A3:B4")
    hidden.sheet_state = "hidden"
    wb.save(tmp_path / "h.xlsx")
    sheets = read_sheets(tmp_path / "h.xlsx")
    assert [(s.name, s.rows, s.merges) for s in sheets] == [
        ("Biểu", [("a",)], []),
        ("Ẩn", [("b", 2)], []),  # the empty merged block lies below the last row
    ]


def test_covered_cells_are_emptied(tmp_path: Path) -> None:
    """Only the top-left cell of a merged range holds a value, even when the file keeps
    values in the covered cells (LibreOffice's hidden contents, some export tools)."""
    grid = [["Nhóm", "ẩn 1", "ẩn 2"], ["a", "b", "c"], [1, 2, 3]]
    merges = [(0, 0, 0, 2)]
    for path in (
        write_xls_grid(tmp_path / "c.xls", grid, merges, covered_values=True),
        write_ods_grid(tmp_path / "c.ods", grid, merges, covered_values=True),
    ):
        sheet = _only(path)
        assert sheet.rows == [("Nhóm",), ("a", "b", "c"), (1, 2, 3)], path.name
        assert sheet.merges == [(0, 0, 0, 2)]


def _long_grid() -> tuple[list[list], list[tuple[int, int, int, int]]]:
    grid = [["Báo cáo"], ["Đơn vị", "Số liệu", None], [None, "a", "b"]]
    grid += [[f"Xã {i}", i, i * 2] for i in range(200)]
    # a header merge, and a merge far below the scanned rows
    return grid, [(0, 0, 0, 2), (1, 0, 2, 0), (1, 1, 1, 2), (150, 1, 151, 1)]


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "docx"])
def test_max_rows(tmp_path: Path, kind: str) -> None:
    grid, merges = _long_grid()
    if kind == "docx":
        table_merges = [(r0 - 1, c0, r1 - 1, c1) for r0, c0, r1, c1 in merges[1:]]
        path = write_docx_grid(tmp_path / "long.docx", grid[1:], table_merges, titles=["Báo cáo"])
        expected = [("Báo cáo",), ("Đơn vị", "Số liệu"), (None, "a", "b")] + [
            (f"Xã {i}", str(i), str(i * 2)) for i in range(7)
        ]
        expected_merges = merges[1:3]
    else:
        writer = {"xlsx": write_xlsx_grid, "xls": write_xls_grid, "ods": write_ods_grid}[kind]
        path = writer(tmp_path / f"long.{kind}", grid, merges)
        expected = [("Báo cáo",), ("Đơn vị", "Số liệu"), (None, "a", "b")] + [
            (f"Xã {i}", i, i * 2) for i in range(7)
        ]
        expected_merges = merges[:3]
    head = _only(path, max_rows=10)
    assert head.rows == expected
    assert head.merges == expected_merges
    full = _only(path)
    assert len(full.rows) == 203
    assert full.merges[-1] == (150, 1, 151, 1)
    assert full.rows[151][1] is None  # covered by the merge above it


def test_docx_titles_tables_and_text(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    for i in range(15):
        document.add_paragraph(f"Dòng {i}")
    document.add_paragraph("")  # empty paragraphs are not rows
    document.add_paragraph("Biểu   số 1\t(kèm theo)")
    first = add_docx_table(document, [["Đơn vị", "Ghi chú"], ["Xã A", None]])
    cell = first.cell(1, 1)
    cell.paragraphs[0].add_run("Dòng một")
    cell.paragraphs[0].add_run().add_break()
    cell.paragraphs[0].add_run("tiếp")
    cell.add_paragraph("đoạn hai")
    nested = cell.add_table(rows=1, cols=1)  # a table inside a cell is ignored
    nested.cell(0, 0).text = "lồng"
    document.add_paragraph("Biểu số 2")
    add_docx_table(document, [["Mã", "Số"], ["867", "58.053"]])
    add_docx_table(document, [["x"]])  # right after the previous table: no title rows
    document.save(tmp_path / "r.docx")

    sheets = read_sheets(tmp_path / "r.docx")
    assert [s.name for s in sheets] == ["Bảng 1", "Bảng 2", "Bảng 3"]
    # the 12 non-empty paragraphs closest to the table
    assert sheets[0].rows == [(f"Dòng {i}",) for i in range(4, 15)] + [
        ("Biểu số 1 (kèm theo)",),
        ("Đơn vị", "Ghi chú"),
        ("Xã A", "Dòng một tiếp đoạn hai"),
    ]
    assert sheets[1].rows == [("Biểu số 2",), ("Mã", "Số"), ("867", "58.053")]
    assert sheets[2].rows == [("x",)]
    assert all(s.merges == [] for s in sheets)


W_NS = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'


def test_docx_xml_details(tmp_path: Path) -> None:
    """Content controls around a table, ``w:gridBefore``, a continued vertical merge with no
    start, tracked changes (deleted text left out, inserted text kept)."""
    import docx
    from docx.oxml import parse_xml

    def tc(text: str, props: str = "") -> str:
        return f"<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:r><w:t>{text}</w:t></w:r></w:p></w:tc>"

    span = '<w:gridSpan w:val="2"/>'
    xml = (
        f"<w:sdt {W_NS}><w:sdtContent><w:tbl><w:tblPr/>"
        "<w:tblGrid><w:gridCol/><w:gridCol/><w:gridCol/></w:tblGrid>"
        f"<w:tr><w:trPr><w:gridBefore w:val='1'/></w:trPr>{tc('Nhóm', span)}</w:tr>"
        f"<w:tr>{tc('', '<w:vMerge/>')}{tc('a')}"
        "<w:tc><w:p><w:del><w:r><w:delText>cũ</w:delText></w:r></w:del>"
        "<w:ins><w:r><w:t>mới</w:t></w:r></w:ins></w:p></w:tc></w:tr>"
        "</w:tbl></w:sdtContent></w:sdt>"
    )
    document = docx.Document()
    document.add_paragraph("Tiêu đề")
    document.element.body.insert(1, parse_xml(xml))
    document.save(tmp_path / "x.docx")
    sheet = _only(tmp_path / "x.docx")
    assert sheet.rows == [("Tiêu đề",), (None, "Nhóm"), (None, "a", "mới")]
    assert sheet.merges == [(1, 1, 1, 2)]


def test_docx_without_table(tmp_path: Path) -> None:
    import docx

    document = docx.Document()
    document.add_paragraph("Báo cáo không có bảng")
    document.save(tmp_path / "t.docx")
    with pytest.raises(ReadError, match="no table") as info:
        read_sheets(tmp_path / "t.docx")
    assert "không có bảng" in info.value.message_vi


def test_content_read_when_the_name_is_wrong(tmp_path: Path) -> None:
    """An .xlsx saved under an .xls name, an .xls under an .xlsx name, an .ods under an .xls
    name are read; so is an upper-case suffix."""
    xlsx_named_xls = tmp_path / "a.xls"
    write_xlsx_grid(tmp_path / "a.xlsx", GRID, GRID_MERGES).rename(xlsx_named_xls)
    xls_named_xlsx = tmp_path / "b.xlsx"
    write_xls_grid(tmp_path / "b.xls", GRID, GRID_MERGES).rename(xls_named_xlsx)
    ods_named_xls = tmp_path / "c.xls"
    write_ods_grid(tmp_path / "c.ods", GRID, GRID_MERGES).rename(ods_named_xls)
    upper_case = tmp_path / "D.XLS"
    write_xls_grid(tmp_path / "d.xls", GRID, GRID_MERGES).rename(upper_case)
    for path in (xlsx_named_xls, xls_named_xlsx, ods_named_xls, upper_case):
        sheet = _only(path)
        assert (sheet.rows, sheet.merges) == (EXPECTED_ROWS, EXPECTED_MERGES), path.name


def test_html_saved_as_xls(tmp_path: Path) -> None:
    path = tmp_path / "export.xls"
    path.write_text("<html><body><table><tr><td>Đơn vị</td></tr></table></body></html>", encoding="utf-8")
    with pytest.raises(ReadError, match="web page") as info:
        read_sheets(path)
    assert "save it as .xlsx" in str(info.value)
    assert "lưu lại dạng .xlsx" in info.value.message_vi


@pytest.mark.parametrize("kind", ["xlsx", "xls", "ods", "docx"])
@pytest.mark.parametrize("cut", [0.5, 0.99])
def test_damaged_files(tmp_path: Path, kind: str, cut: float) -> None:
    good = _write_all(tmp_path)[kind]
    bad = tmp_path / f"bad.{kind}"
    data = good.read_bytes()
    bad.write_bytes(data[: int(len(data) * cut)])
    with pytest.raises(ReadError) as info:
        read_sheets(bad)
    assert f"the {kind} file cannot be read: it is damaged, truncated or not really {kind}" in str(info.value)
    assert f"không đọc được tệp {kind}: tệp bị hỏng" in info.value.message_vi


@pytest.mark.parametrize("kind", ["xls", "ods", "docx"])
def test_garbage_named_as_a_format(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"junk.{kind}"
    path.write_bytes(b"\x00\x01 not a document " * 50)
    with pytest.raises(ReadError, match=f"the {kind} file cannot be read"):
        read_sheets(path)


def test_old_word_doc(tmp_path: Path) -> None:
    doc = tmp_path / "bao cao.doc"
    doc.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    with pytest.raises(ReadError, match=r"save it as \.docx") as info:
        read_sheets(doc)
    assert "lưu lại dạng .docx" in info.value.message_vi
    renamed = tmp_path / "bao cao.docx"  # an old .doc renamed .docx says the same
    renamed.write_bytes(doc.read_bytes())
    with pytest.raises(ReadError, match=r"save it as \.docx"):
        read_sheets(renamed)


def test_unsupported_type_lists_the_supported_ones(tmp_path: Path) -> None:
    path = tmp_path / "a.pdf"
    path.write_bytes(b"%PDF-1.4")
    with pytest.raises(ReadError) as info:
        read_sheets(path)
    for suffix in (".xlsx", ".xls", ".ods", ".csv", ".csv.gz", ".parquet", ".docx"):
        assert suffix in str(info.value) and suffix in info.value.message_vi


SURVEY = [
    ["PHIẾU KHẢO SÁT"],
    ["Mã phiếu", "Họ và tên", "Số điện thoại", "Mức độ hài lòng", None],
    [None, None, None, "Câu 1", "Câu 2"],
    ["P1", "Nguyễn Văn A", "0912345678", 5, 4],
]
SURVEY_MERGES = [(1, 0, 2, 0), (1, 1, 2, 1), (1, 2, 2, 2), (1, 3, 1, 4)]


@pytest.mark.parametrize("kind", ["xls", "ods", "docx"])
def test_quarantine_scrubs_new_formats_into_xlsx(tmp_path: Path, kind: str) -> None:
    if kind == "docx":
        table_merges = [(r0 - 1, c0, r1 - 1, c1) for r0, c0, r1, c1 in SURVEY_MERGES]
        path = write_docx_grid(tmp_path / "phieu.docx", SURVEY[1:], table_merges, titles=["PHIẾU KHẢO SÁT"])
    else:
        writer = write_xls_grid if kind == "xls" else write_ods_grid
        path = writer(tmp_path / f"phieu.{kind}", SURVEY, SURVEY_MERGES)
    error = IngestError("bad", "hỏng", file_name=path.name, row=4)
    qdir = tmp_path / "q"
    error_file = quarantine_file(path, "ab" * 32, f"Phiếu {kind}.{kind}", qdir, error, "surveys")
    copies = [p for p in qdir.iterdir() if not p.name.endswith(".error.txt")]
    assert [p.name for p in copies] == ["abababababab_Phieu_" + kind + ".xlsx"]
    assert error_file.name == copies[0].name + ".error.txt"
    assert "Personal columns were removed" in error_file.read_text(encoding="utf-8")
    ws = load_workbook(copies[0]).worksheets[0]
    values = [[c for c in row] for row in ws.iter_rows(values_only=True)]
    flat = {v for row in values for v in row}
    assert "Nguyễn Văn A" not in flat and "0912345678" not in flat
    assert ("Mã phiếu" in flat) and ("Câu 2" in flat)
    # the two personal columns are gone: the merges shift left with the kept columns
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A2:A3", "B2:C2"]


def test_quarantine_keeps_a_rewritten_copy_of_new_formats_never_the_original(tmp_path: Path) -> None:
    """Every kept copy is written by the scrubber (an .xlsx for any workbook), never the
    submitted bytes, with the same cells once personal columns are gone."""
    from ingest.readers import read_sheets

    path = _write_all(tmp_path)["ods"]
    error = IngestError("bad", "hỏng", file_name=path.name)
    error_file = quarantine_file(path, "cd" * 32, "bieu.ods", tmp_path / "q", error, "dossiers")
    copy = error_file.with_name(error_file.name.removesuffix(".error.txt"))
    assert copy.name == "cdcdcdcdcdcd_bieu.xlsx"
    assert copy.read_bytes() != path.read_bytes()
    original, kept = read_sheets(path), read_sheets(copy)
    assert [s.rows for s in kept] == [s.rows for s in original]


@pytest.mark.parametrize("kind", ["xls", "ods", "docx"])
def test_quarantine_of_damaged_new_formats(tmp_path: Path, kind: str) -> None:
    path = tmp_path / f"bad.{kind}"
    path.write_bytes(b"PK\x03\x04 damaged")
    error = IngestError("cannot be read", "không đọc được", file_name=path.name)
    qdir = tmp_path / "q"
    error_file = quarantine_file(path, "ef" * 32, path.name, qdir, error, "surveys")
    assert "No copy kept" in error_file.read_text(encoding="utf-8")
    assert [p.name for p in qdir.iterdir()] == [error_file.name]
    error_file = quarantine_file(path, "ef" * 32, path.name, qdir, error, None)
    assert "No copy kept" in error_file.read_text(encoding="utf-8")  # unreadable: cannot be scrubbed
    assert not (qdir / f"efefefefefef_bad.{kind}").exists()
