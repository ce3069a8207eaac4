"""Privacy by construction (issue 15, item 6): personal columns are told by their header
(however long), values that look personal are masked in messages and kept copies, and the
quarantine copy of every file type is scrubbed (the ``=HYPERLINK`` text of a cell stays text).

The helpers :func:`planted_forms` and :func:`leaks_in_file` are shared with the warehouse-wide
scan of ``tests/e2e/test_privacy_scan.py``.
"""

from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
import unicodedata
import zipfile
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from openpyxl import Workbook, load_workbook

from ingest.errors import IngestError, ParseError
from ingest.headers import find_header, is_personal_label
from ingest.personal import mask_cell, mask_text, personal_field, sql_mask
from ingest.quarantine import SHIFTED_ROW, quarantine_file
from ingest.text import strip_accents
from tests.ingest.format_writers import write_docx_grid, write_ods_grid, write_xls_grid

NAME = "Nguyễn Thị Mẫu Thử"
CCCD = "079203001234"
PHONE = "0912345678"
EMAIL = "mau.thu.rieng@example.vn"
ADDRESS = "Số 77 đường Phượng Vỹ Mẫu"
PLANTED = (NAME, CCCD, PHONE, EMAIL, ADDRESS)
LONG_HEADER = "Số điện thoại liên hệ của người nộp hồ sơ để nhận thông báo kết quả"
HYPERLINK = '=HYPERLINK("http:"&CHAR(47)&CHAR(47)&"evil.example","click me")'


# --- shared scan helpers -------------------------------------------------------------------


def planted_forms(values: tuple[str, ...] = PLANTED) -> list[str]:
    """Every form a planted value may take once written somewhere: as written, NFC and NFD,
    without accents, JSON-escaped, its digits only (with and without a leading 0, +84),
    and the distinctive words of a name or address."""
    forms: set[str] = set()
    for value in values:
        variants = {value, unicodedata.normalize("NFC", value), unicodedata.normalize("NFD", value)}
        variants.add(strip_accents(value))
        digits = re.sub(r"\D", "", value)
        if len(digits) >= 9 and "@" not in value and not value.startswith("Số"):
            variants |= {digits, digits.lstrip("0"), "84" + digits.lstrip("0")}
        if " " in value and "@" not in value:
            tail = " ".join(value.split()[-2:])  # "Mẫu Thử", "Vỹ Mẫu"
            variants |= {tail, strip_accents(tail)}
        for v in list(variants):
            variants.add(json.dumps(v)[1:-1])  # "Nguy\u1ec5n" in JSON logs
        forms |= {v for v in variants if len(v) >= 6}
    return sorted(forms)


def _payloads(name: str, data: bytes, depth: int = 0) -> list[tuple[str, bytes]]:
    """The bytes of a file and of what it contains: zip members (.xlsx, .docx, .ods) and
    gzip streams, opened in turn."""
    out = [(name, data)]
    if depth > 3:
        return out
    if data[:2] == b"\x1f\x8b":
        with contextlib.suppress(OSError, EOFError):
            out += _payloads(f"{name}!gunzip", gzip.decompress(data), depth + 1)
    if data[:4] == b"PK\x03\x04":
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as zf:
                for member in zf.namelist():
                    out += _payloads(f"{name}!{member}", zf.read(member), depth + 1)
        except (zipfile.BadZipFile, OSError, EOFError):
            pass
    return out


def leaks_in_bytes(name: str, data: bytes, forms: list[str]) -> list[str]:
    """``where: form`` for every planted form found in ``data`` or what it contains (UTF-8
    and UTF-16 encodings)."""
    found = []
    for where, payload in _payloads(name, data):
        for form in forms:
            if form.encode("utf-8") in payload or form.encode("utf-16-le") in payload:
                found.append(f"{where}: {form}")
    return found


def leaks_in_file(path: Path, forms: list[str]) -> list[str]:
    return leaks_in_bytes(str(path), path.read_bytes(), forms)


# --- personal labels --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("label", "field"),
    [
        ("Họ và tên", "name"),
        ("HO VA TEN", "name"),
        ("Ho ten nguoi nop", "name"),
        ("Tên người nộp hồ sơ", "name"),
        ("Người đứng tên", "name"),
        ("Chủ hồ sơ", "name"),
        ("ChuHoSo", "name"),
        ("Số điện thoại", "phone"),
        ("SĐT", "phone"),
        ("SoDienThoai", "phone"),
        (LONG_HEADER, "phone"),
        ("Địa chỉ email của người nộp", "email"),
        ("E-mail", "email"),
        ("Số CCCD/CMND", "id_number"),
        ("Căn cước công dân", "id_number"),
        ("Số định danh cá nhân", "id_number"),
        ("Số hộ chiếu", "id_number"),
        ("Mã số thuế cá nhân", "id_number"),
        ("Địa chỉ thường trú của người nộp hồ sơ theo căn cước công dân", "address"),
        ("Nơi cư trú", "address"),
        ("Thường trú", "address"),
        ("Tam tru", "address"),
        ("Ngày sinh", "birth_date"),
        ("TrichYeu", "free_text"),
    ],
)
def test_personal_headers_are_told_however_written(label: str, field: str) -> None:
    assert personal_field(label) == field
    assert is_personal_label(label)


@pytest.mark.parametrize(
    "label",
    [
        "Mã hồ sơ",
        "Mã đơn vị",
        "Số hồ sơ",
        "Địa bàn",
        "Tên đơn vị",
        "Tên thủ tục",
        "Lĩnh vực",
        "Ngày tiếp nhận",
        "Số phiếu",
        "Mã phiếu",
        "Ghi chú",
        "MaHoSo",
        "NgayTiepNhan",
        "Người lập biểu (ký, ghi rõ họ tên)",
        "Cấp đổi thẻ căn cước",
        "Đăng ký thường trú",
        "Số hồ sơ đã giải quyết đúng hạn",
    ],
)
def test_project_columns_are_not_personal(label: str) -> None:
    assert personal_field(label) is None


def test_a_long_personal_header_is_ignored_by_the_readers() -> None:
    rows = [
        ["Mã phiếu", LONG_HEADER, "Ngày khảo sát", "Câu 1", "Câu 2"],
        ["P1", PHONE, "15/03/2023", 5, 4],
    ]
    match = find_header(rows, ("surveys",))
    assert match is not None
    assert match.personal == [1]
    assert 1 not in match.columns.values()


# --- masking ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("0912345678", "09******78"),
        ("079203001234", "07********34"),
        ("CMND 123456789 cũ", "CMND 12*****89 cũ"),
        ("gọi +84912345678", "gọi +84*******78"),
        ("0912 345 678", "09** *** *78"),
        ("0912345678,0987654321", "09******78,09******21"),
        ("resolved as L079203001234", "resolved as L07********34"),
        ("viết cho mau.thu.rieng@example.vn nhé", "viết cho m***@*** nhé"),
        ("'Số 77 đường Phượng Vỹ Mẫu', phường 4", "'***', phường 4"),
        # not personal: dates, timestamps, grouped money, short codes
        ("15/03/2023 10:30", "15/03/2023 10:30"),
        ("20230315103000", "20230315103000"),
        ("1.500.000.000 đồng", "1.500.000.000 đồng"),
        ("HS-2023-000123", "HS-2023-000123"),
    ],
)
def test_values_that_look_personal_are_masked(text: str, masked: str) -> None:
    assert mask_text(text) == masked
    # DuckDB masks the same way (the streamed copies of CSV and Parquet files)
    con = duckdb.connect()
    assert con.execute(f"select {sql_mask('x')} from (select ? as x)", [text]).fetchone()[0] == masked


def test_numbers_of_id_length_are_masked_in_kept_cells() -> None:
    assert mask_cell(79203001234) == "79*******34"  # a CCCD typed as a number lost its 0
    assert mask_cell(912345678.0) == "91*****78"
    assert mask_cell(733) == 733 and mask_cell(12.5) == 12.5 and mask_cell(True) is True


def test_error_messages_are_masked_at_the_source() -> None:
    error = IngestError(
        f"unknown unit code {CCCD!r}; phone {PHONE}, {EMAIL}",
        f"mã đơn vị {CCCD!r} không tồn tại; {ADDRESS}",
        file_name="ho_so.csv",
        row=3,
        column="B (Mã đơn vị)",
    )
    shown = " ".join([str(error), error.full_message_vi, error.message_en, error.message_vi])
    assert not [f for f in planted_forms((CCCD, PHONE, EMAIL, ADDRESS)) if f in shown], shown
    assert "'07********34'" in error.message_en and "row 3" in str(error)
    parsed = IngestError.from_parse_error(ParseError(f"cannot read {CCCD!r} as a date", f"ngày {CCCD!r}"))
    assert CCCD not in parsed.message_en + parsed.message_vi
    assert "'07********34'" in parsed.message_vi


# --- quarantine copies ------------------------------------------------------------------------

GRID = [
    ["DANH SÁCH HỒ SƠ"],
    ["Mã hồ sơ", "Họ và tên", LONG_HEADER, "Địa chỉ", "Email", "Số lượng", "Ghi chú"],
    ["HS001", NAME, PHONE, ADDRESS, EMAIL, 5, f"CCCD {CCCD}"],
    ["HS002", "Trần Văn Khác", "0987654321", "Thôn 3", "khac@example.vn", 7, "đã nộp"],
]


def _copy_of(error_file: Path) -> Path:
    return error_file.with_name(error_file.name.removesuffix(".error.txt"))


def _quarantine(tmp_path: Path, source: Path, file_name: str, family: str | None = "dossiers") -> Path:
    error = IngestError("bad", "hỏng", file_name=file_name, row=3)
    return quarantine_file(source, "ab" * 32, file_name, tmp_path / "q", error, family)


def _write_csv(path: Path, grid: list[list], compress: bool = False) -> Path:
    buf = io.StringIO()
    csv.writer(buf).writerows(grid)
    data = buf.getvalue().encode("utf-8-sig")
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def _write_xlsx_text(path: Path, grid: list[list]) -> Path:
    """An .xlsx whose text cells are strings, even those starting with ``=``."""
    wb = Workbook()
    ws = wb.active
    for r, row in enumerate(grid, start=1):
        for c, value in enumerate(row, start=1):
            if value is not None:
                cell = ws.cell(row=r, column=c, value=value)
                if isinstance(value, str):
                    cell.data_type = "s"
    wb.save(path)
    return path


WRITERS = {
    "xlsx": lambda p: _write_xlsx_text(p, GRID),
    "xls": lambda p: write_xls_grid(p, GRID),
    "ods": lambda p: write_ods_grid(p, GRID),
    "docx": lambda p: write_docx_grid(p, GRID[1:], titles=[GRID[0][0]]),
    "csv": lambda p: _write_csv(p, GRID),
    "csv.gz": lambda p: _write_csv(p, GRID, compress=True),
}


@pytest.mark.parametrize("kind", [*WRITERS, "parquet"])
def test_every_quarantine_copy_is_scrubbed(tmp_path: Path, kind: str) -> None:
    source = tmp_path / f"ho_so.{kind}"
    if kind == "parquet":
        table = pa.table(
            {
                "MaHoSo": ["HS001", "HS002"],
                "ChuHoSo": [NAME, "Trần Văn Khác"],
                "SoDienThoai": [int(PHONE), 987654321],  # typed as numbers: the 0 is lost
                "DiaChi": [ADDRESS, "Thôn 3"],
                "SoLuong": [5, 7],
                "GhiChu": [f"CCCD {CCCD}", f"mail {EMAIL}"],
                "SoCu": [int(CCCD), 12],  # an ID number in a column of another name
            }
        )
        pq.write_table(table, source)
    else:
        WRITERS[kind](source)
    error_file = _quarantine(tmp_path, source, f"Hồ sơ.{kind}")
    copy = _copy_of(error_file)
    expected_suffix = ".xlsx" if kind in ("xlsx", "xls", "ods", "docx") else f".{kind}"
    assert copy.name == "abababababab_Ho_so" + expected_suffix
    assert not leaks_in_file(copy, planted_forms()), kind
    note = error_file.read_text(encoding="utf-8")
    assert not leaks_in_file(error_file, planted_forms())
    assert "Values that look personal" in note and "được che" in note
    # what is not personal is kept
    if kind == "parquet":
        kept = pq.read_table(copy).to_pydict()
        assert kept["MaHoSo"] == ["HS001", "HS002"] and kept["SoLuong"] == [5, 7]
        assert kept["GhiChu"] == ["CCCD 07********34", "mail m***@***"]
        assert kept["SoCu"] == [None, 12]
        assert set(kept) == {"MaHoSo", "SoLuong", "GhiChu", "SoCu"}
        assert "Personal columns were removed from this copy: ChuHoSo, SoDienThoai, DiaChi." in note
        return
    if expected_suffix == ".xlsx":
        rows = [list(r) for r in load_workbook(copy).worksheets[0].iter_rows(values_only=True)]
    else:
        text = (gzip.decompress(copy.read_bytes()) if kind == "csv.gz" else copy.read_bytes()).decode()
        rows = [[int(v) if v.isdigit() else (v or None) for v in r] for r in csv.reader(io.StringIO(text))]
    rows = [r for r in rows if any(v is not None for v in r)]
    header = next(r for r in rows if "Mã hồ sơ" in r)
    assert [v for v in header if v] == ["Mã hồ sơ", "Số lượng", "Ghi chú"]
    first = [v for v in rows[rows.index(header) + 1] if v is not None]
    assert first == ["HS001", "5" if kind == "docx" else 5, "CCCD 07********34"]  # Word cells are text
    assert f"removed from this copy: Họ và tên, {LONG_HEADER}, Địa chỉ, Email." in note


def test_text_starting_with_equals_stays_text_in_the_copy(tmp_path: Path) -> None:
    source = _write_xlsx_text(tmp_path / "bieu.xlsx", [["Tên đơn vị", "Ghi chú"], ["Xã A", HYPERLINK]])
    copy = _copy_of(_quarantine(tmp_path, source, "bieu.xlsx"))
    with zipfile.ZipFile(copy) as zf:
        sheet_xml = zf.read("xl/worksheets/sheet1.xml").decode()
        strings = " ".join(zf.read(n).decode() for n in zf.namelist() if n.endswith("sharedStrings.xml"))
    assert "<f>" not in sheet_xml and "<f " not in sheet_xml
    assert "HYPERLINK" in sheet_xml + strings  # kept, as a string
    cell = load_workbook(copy).worksheets[0]["B2"]
    assert cell.value == HYPERLINK and cell.data_type == "s"


def test_a_shifted_csv_row_is_left_out_of_the_copy(tmp_path: Path) -> None:
    lines = [
        "Mã hồ sơ,Họ và tên,Địa chỉ,Mã đơn vị,Kênh",
        "HS001,Trần Văn Khác,Thôn 3,29440,Trực tiếp",
        # an unquoted comma in the address: the name's column holds the address, the unit
        # code column the rest of it
        f"HS002,{NAME},{ADDRESS},Phường Mẫu Thử,29440,Trực tuyến",
        f"HS003,{NAME},{ADDRESS},Phường Mẫu Thử,,",  # shifted, then empty fields
    ]
    source = tmp_path / "ho_so.csv"
    source.write_text("\n".join(lines) + "\n", encoding="utf-8")
    copy = _copy_of(_quarantine(tmp_path, source, "ho_so.csv", "dossier_records"))
    rows = list(csv.reader(io.StringIO(copy.read_text(encoding="utf-8"))))
    assert rows == [
        ["Mã hồ sơ", "Mã đơn vị", "Kênh"],
        ["HS001", "29440", "Trực tiếp"],
        [SHIFTED_ROW, "", ""],
        [SHIFTED_ROW, "", ""],
    ]
    assert not leaks_in_file(copy, planted_forms())


def test_a_glob_file_name_copies_only_its_own_rows(tmp_path: Path) -> None:
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for n in (1, 2):
        _write_csv(inbox / f"ho_so_c{n}.csv.gz", [["Mã hồ sơ", "Kênh"], [f"OTHER{n}", "Trực tiếp"]], True)
    source = _write_csv(inbox / "ho_so_*.csv.gz", [["Mã hồ sơ", "Kênh"], ["MINE", "Trực tuyến"]], True)
    copy = _copy_of(_quarantine(tmp_path, source, "ho_so_*.csv.gz", "dossier_records"))
    text = gzip.decompress(copy.read_bytes()).decode()
    assert "MINE" in text and "OTHER" not in text


#: a gzip stream cut short (mtime 0: the same bytes whenever and wherever it is collected)
TRUNCATED_GZIP = gzip.compress(f"Mã hồ sơ,Họ và tên\nHS1,{NAME}\n".encode(), mtime=0)[:-12]


@pytest.mark.parametrize(
    ("name", "content", "why"),
    [
        ("ho_so.xlsx", b"PK\x03\x04 damaged " + NAME.encode(), "cannot be read"),
        ("ho_so.csv.gz", TRUNCATED_GZIP, "not be written"),
        ("ho_so.pdf", f"%PDF {NAME} {CCCD}".encode(), "cannot be checked for personal data"),
    ],
    ids=["damaged_xlsx", "truncated_gzip", "pdf"],  # stable ids: xdist workers must collect the same
)
def test_no_copy_when_it_cannot_be_scrubbed(tmp_path: Path, name: str, content: bytes, why: str) -> None:
    source = tmp_path / name
    source.write_bytes(content)
    error_file = _quarantine(tmp_path, source, name, None)
    assert [p.name for p in (tmp_path / "q").iterdir()] == [error_file.name]
    note = error_file.read_text(encoding="utf-8")
    assert "No copy kept" in note and why in note and "Không lưu bản sao" in note


def test_no_copy_of_a_file_over_the_limits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARWH_LIMIT_MAX_TABLE_TEXT_BYTES", str(1 << 20))
    monkeypatch.setenv("PARWH_LIMIT_MAX_PARQUET_ROWS", "10")
    line = f"KS-1,{NAME},{PHONE},867,5\n".encode()
    bomb = tmp_path / "khao_sat.csv.gz"  # 2 MB of text in a few KB: never inflated whole
    bomb.write_bytes(
        gzip.compress(b"M\xc3\xa3 phi\xe1\xba\xbfu,H\xe1\xbb\x8d t\xc3\xaan,SDT,Ma,Cau 1\n" + line * 60_000)
    )
    error_file = _quarantine(tmp_path, bomb, bomb.name, "surveys")
    assert "No copy kept: the file holds more than 1 MB of text." in error_file.read_text(encoding="utf-8")
    rows = tmp_path / "khao_sat.parquet"
    pq.write_table(pa.table({"Mã phiếu": [f"KS-{i}" for i in range(11)], "Câu 1": [5] * 11}), rows)
    error_file = _quarantine(tmp_path, rows, rows.name, "surveys")
    assert "No copy kept: the file has more than 10 rows." in error_file.read_text(encoding="utf-8")
    assert sorted(p.name for p in (tmp_path / "q").iterdir()) == [
        "abababababab_khao_sat.csv.gz.error.txt",
        "abababababab_khao_sat.parquet.error.txt",
    ]


_STREAM_SCRIPT = """
import gzip, resource, sys
from pathlib import Path
from ingest.errors import IngestError
from ingest.quarantine import quarantine_file

source, quarantine = Path(sys.argv[1]), Path(sys.argv[2])
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
error = IngestError("bad", "hỏng", file_name=source.name)
quarantine_file(source, "cd" * 32, source.name, quarantine, error, "dossier_records")
print(before, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)
"""


def test_a_large_record_export_is_scrubbed_in_bounded_memory(tmp_path: Path) -> None:
    """200 MB of CSV text (a few MB gzipped) is copied by DuckDB in batches: the process
    grows by far less than the file (measured with ``resource`` in its own process)."""
    import subprocess
    import sys

    source = tmp_path / "ho_so_867_2023.csv.gz"
    row = f"HS-{{n}},{NAME},{PHONE},{CCCD},867,1,03/07/2023 08:00,ghi chú {CCCD} {'x' * 60}\n"
    block = "".join(row.format(n=n) for n in range(10_000)).encode()
    with gzip.open(source, "wb", compresslevel=1) as fh:
        fh.write("Mã hồ sơ,Họ và tên,Số điện thoại,CCCD,Mã đơn vị,Kênh,Ngày tiếp nhận,Ghi chú\n".encode())
        for _ in range(200 * (1 << 20) // len(block)):
            fh.write(block)
    result = subprocess.run(
        [sys.executable, "-c", _STREAM_SCRIPT, str(source), str(tmp_path / "q")],
        capture_output=True,
        text=True,
        timeout=900,
        check=True,
    )
    before_kb, peak_kb = (int(x) for x in result.stdout.split()[-2:])
    assert (peak_kb - before_kb) * 1024 < 150 * (1 << 20), (before_kb, peak_kb)
    copy = tmp_path / "q" / "cdcdcdcdcdcd_ho_so_867_2023.csv.gz"
    with gzip.open(copy, "rt", encoding="utf-8") as fh:
        header = fh.readline()
        first = fh.readline()
        tail_ok = all(
            CCCD not in line and NAME not in line for _, line in zip(range(50_000), fh, strict=False)
        )
    assert header.strip() == "Mã hồ sơ,Mã đơn vị,Kênh,Ngày tiếp nhận,Ghi chú"
    assert first.startswith("HS-0,867,1,03/07/2023 08:00,ghi chú 07********34 ")
    assert tail_ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Nguyễn Thị Mẫu Thử", True),
        ("Trần Văn An", True),
        ("Tổng số hồ sơ", False),
        ("Đã giải quyết", False),
        ("Nguyễn", False),  # one word
        ("Ghi chú", False),
        ("Lê Lợi nhận 12 hồ sơ", False),  # not all capitalised words
    ],
)
def test_a_persons_name_is_recognised_where_a_label_was_expected(text: str, expected: bool) -> None:
    from ingest.personal import looks_like_person_name

    assert looks_like_person_name(text) is expected


def test_an_unmapped_column_whose_label_is_a_name_is_not_quoted() -> None:
    """A data row taken for a header: the columns not loaded are named by letter only."""
    from ingest.aggregated_file import ignored_columns
    from ingest.headers import find_header

    rows = [
        ("Mã đơn vị", "Đơn vị", "Số phiếu phát ra", "Số phiếu hài lòng", "Nguyễn Thị Mẫu Thử", "Ghi chú lạ"),
        ("H807", "TP Sa Đéc", 100, 90, "x", "y"),
    ]
    match = find_header(rows)
    assert match is not None
    text = "; ".join(ignored_columns(match, None))
    assert "Mẫu Thử" not in text and "E (…)" in text
    assert "F (Ghi chú lạ)" in text  # an ordinary label is still quoted


def test_a_name_from_a_shifted_row_is_never_quoted_nor_kept_in_the_copy(tmp_path: Path) -> None:
    """A row shifted by one column puts a person's name into the survey date column: the
    rejection names row and column but not the value, and the scrubbed copy hides it."""
    import duckdb

    from ingest.inbox import load_family, register_inbox

    inbox, quarantine = tmp_path / "inbox", tmp_path / "q"
    inbox.mkdir()
    (inbox / "khao_sat_lech.csv").write_text(
        "Mã phiếu,Mã đơn vị,Cấp,Ngày khảo sát,Họ tên,Câu 1 - Hài lòng chung\n"
        "P-1,866,huyện,06/09/2021,Nguyễn Thị Mẫu Thử,5\n"
        "P-2,866,huyện,Hoàng Thị Mỹ Duyên,079188004321,5\n",
        encoding="utf-8",
    )
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    register_inbox(con, inbox, quarantine, "r1")
    load_family(con, "surveys", quarantine, "r1")
    status, message, message_vi, row, column = con.execute(
        "select status, message, message_vi, error_row, error_column from raw.file_manifest"
    ).fetchone()
    assert status == "rejected" and row == 3 and "Ngày khảo sát" in column
    kept = [p.read_bytes().decode("utf-8", "replace") for p in quarantine.iterdir()]
    for text in [
        message,
        message_vi,
        *kept,
        *(str(r) for r in con.execute("from marts.data_quality_findings").fetchall()),
    ]:
        assert "Duyên" not in text and "Mẫu Thử" not in text and "079188004321" not in text


def test_a_sheet_named_after_a_person_is_renamed_at_the_door(tmp_path: Path) -> None:
    import duckdb
    from openpyxl import Workbook

    from ingest.inbox import load_family, register_inbox

    inbox, quarantine = tmp_path / "inbox", tmp_path / "q"
    inbox.mkdir()
    wb = Workbook()
    ws = wb.active
    ws.title = "Hoàng Thị Mỹ Duyên 0791880043"
    ws.append(["Mã phiếu", "Mã đơn vị", "Cấp", "Ngày khảo sát", "Câu 1 - Hài lòng chung"])
    ws.append(["P-1", "866", "huyện", "06/09/2021", 5])
    wb.create_sheet("0987654321 duyen@example.vn").append(["ghi chú"])
    wb.save(inbox / "khao_sat.xlsx")
    con = duckdb.connect(str(tmp_path / "w.duckdb"))
    register_inbox(con, inbox, quarantine, "r1")
    load_family(con, "surveys", quarantine, "r1")
    rows = con.execute(
        "select status, sheet_name, message, message_vi, column_map from raw.file_manifest"
    ).fetchall()
    assert rows[0][0] == "loaded" and rows[0][1] == "Trang tính 1 (tên ẩn)"
    text = " ".join(str(v) for v in rows[0])
    assert "Duyên" not in text and "0987654321" not in text and "duyen@" not in text
