"""Record-level dossier exports sent as .xlsx / .xls, as one-stop-shop software exports them:
a title block above a single header row, Vietnamese headings, Excel date cells or dates as
text. Real DuckDB warehouses, the inbox's own loading; rows and messages are the sheet's."""

from __future__ import annotations

import shutil
import tempfile
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv, write_xlsx
from tests.ingest.format_writers import write_xls_grid
from tests.ingest.test_records_766_fields import EXPECTED, STORED, VI_HEADER, VI_ROWS, _column
from tests.ingest.test_rejections import _assert_rejected

RUN = "run-xlsx"
TITLE = [
    ["UBND THÀNH PHỐ NHA TRANG"],
    ["DANH SÁCH HỒ SƠ TIẾP NHẬN"],
    ["Từ ngày 01/01/2023 đến ngày 31/03/2023"],
    [],
]
HEADER_ROW = len(TITLE) + 1  # the sheet row of the header: data from HEADER_ROW + 1


def _cell(heading: str, text: str) -> object:
    """VI_ROWS' text as an export writes it in a sheet: received dates of the first rows
    and counts as Excel values, the rest as text."""
    if not text:
        return None
    if heading == "Ngày tiếp nhận" and text < "05":  # rows A–D: date cells
        return datetime.strptime(text, "%d/%m/%Y %H:%M")
    if heading == "Số lần yêu cầu bổ sung":
        return int(text)
    if heading == "Phí, lệ phí" and text.isdigit():
        return float(text)  # 50000.0: written back as 50000
    return text


def _sheet_rows(rows: list[list[str]] | None = None) -> list[list]:
    data = [[_cell(h, v) for h, v in zip(VI_HEADER, r, strict=True)] for r in rows or VI_ROWS]
    return [*TITLE, VI_HEADER, *data]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> str:
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [("dossier_records", "pending")], outcomes
    report = load_family(con, "dossier_records", quarantine, RUN)
    assert report.files_loaded == 1, report.outcomes
    return report.outcomes[0].message


def _stored(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(f"select {STORED} from raw.dossier_records order by dossier_id").fetchall()


@pytest.fixture
def no_temp_left(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A private temporary directory: what is left in it after loading is checked."""
    folder = tmp_path / "tmp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def test_xlsx_with_title_block_loads_with_sheet_rows(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, no_temp_left: Path
) -> None:
    write_xlsx(inbox / "ho_so_nha_trang.xlsx", {"Danh sách": _sheet_rows()})
    message = _load(con, inbox, quarantine)
    assert "loaded 10 rows" in message
    assert _stored(con) == EXPECTED
    rows = con.execute("select dossier_id, source_row from raw.dossier_records order by 1").fetchall()
    assert rows == [(chr(ord("A") + i), HEADER_ROW + 1 + i) for i in range(10)]
    assert list(no_temp_left.iterdir()) == []
    sheet = con.execute("select sheet_name from raw.file_manifest where status = 'loaded'").fetchall()
    assert sheet == [("Danh sách",)]


def test_excel_date_cells_and_text_dates_both_read(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(inbox / "ho_so.xlsx", {"Sheet1": _sheet_rows()})
    _load(con, inbox, quarantine)
    received = con.execute("select dossier_id, received_at from raw.dossier_records order by 1").fetchall()
    assert received == [(chr(ord("A") + i), datetime(2023, 3, 1 + i, 8)) for i in range(10)]


def test_same_data_as_csv_and_as_xlsx_give_the_same_rows(
    template_db: Path, tmp_path: Path, con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(inbox / "ho_so.xlsx", {"Sheet1": _sheet_rows()})
    _load(con, inbox, quarantine)
    other = tmp_path / "csv"
    (other / "inbox").mkdir(parents=True)
    shutil.copyfile(template_db, other / "w.duckdb")
    con_csv = duckdb.connect(str(other / "w.duckdb"))
    try:
        write_csv(other / "inbox" / "ho_so.csv", [VI_HEADER, *VI_ROWS])
        _load(con_csv, other / "inbox", other / "quarantine")
        query = (
            "select * exclude (file_id, source_row, loaded_at) from raw.dossier_records order by dossier_id"
        )
        from_csv = con_csv.execute(query).fetchall()
    finally:
        con_csv.close()
    assert con.execute(query).fetchall() == from_csv
    assert len(from_csv) == 10


def test_bad_cell_is_refused_with_file_sheet_row_and_column(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, no_temp_left: Path
) -> None:
    rows = [list(r) for r in VI_ROWS]
    rows[2][VI_HEADER.index("Ngày yêu cầu bổ sung")] = "32/13/2023"  # dossier C
    write_xlsx(inbox / "ho_so_766.xlsx", {"Danh sách": _sheet_rows(rows)})
    message = _assert_rejected(
        con,
        inbox,
        quarantine,
        "cannot read '32/13/2023' as a timestamp",
        row=HEADER_ROW + 3,
        column=_column(VI_HEADER, "Ngày yêu cầu bổ sung"),
    )
    assert "ho_so_766.xlsx" in message and "Danh sách" in message
    assert list(no_temp_left.iterdir()) == []


def test_missing_column_names_the_header_row(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    header = ["Mã hồ sơ", "Kênh tiếp nhận", "Ngày tiếp nhận"]  # no unit: the name names none
    write_xlsx(inbox / "ho_so.xlsx", {"S": [*TITLE, header, ["A", "Trực tiếp", "01/03/2023"]]})
    message = _assert_rejected(con, inbox, quarantine, "unit_code", row=HEADER_ROW)
    assert "ho_so.xlsx" in message


def test_other_sheets_are_named_as_skipped(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(
        inbox / "ho_so.xlsx",
        {"Ghi chú": [["Dữ liệu trích xuất từ phần mềm một cửa"]], "Danh sách": _sheet_rows()},
    )
    message = _load(con, inbox, quarantine)
    assert "skipped sheets (not dossier_records): Ghi chú" in message
    assert _stored(con) == EXPECTED


def test_two_sheets_of_records_are_refused_naming_them(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_xlsx(inbox / "ho_so.xlsx", {"Quý 1": _sheet_rows(), "Quý 2": _sheet_rows()})
    message = _assert_rejected(con, inbox, quarantine, "several sheets hold record-level dossier data")
    assert "'Quý 1'" in message and "'Quý 2'" in message and "ho_so.xlsx" in message


def test_two_row_header_is_refused_with_its_rows(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [
        ["DANH SÁCH HỒ SƠ"],
        ["Mã hồ sơ", "Mã đơn vị", "Thời gian", None, "Kênh tiếp nhận"],
        [None, None, "Ngày tiếp nhận", "Ngày hẹn trả", None],
        ["A", "568", "01/03/2023", "05/03/2023", "Trực tiếp"],
    ]
    write_xlsx(inbox / "ho_so.xlsx", {"S": rows}, merges={"S": ["A2:A3", "B2:B3", "C2:D2", "E2:E3"]})
    message = _assert_rejected(con, inbox, quarantine, "single header row", row=2)
    assert "ho_so.xlsx" in message


def test_value_without_heading_is_refused(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = _sheet_rows()
    rows[HEADER_ROW + 1] = [*rows[HEADER_ROW + 1], None, "ghi chú"]  # dossier B, sheet row 7
    write_xlsx(inbox / "ho_so.xlsx", {"S": rows})
    letter = chr(ord("A") + len(VI_HEADER) + 1)
    _assert_rejected(con, inbox, quarantine, f"column {letter}, which has no heading", row=HEADER_ROW + 2)


def test_empty_row_between_records_keeps_sheet_rows(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Trailing empty rows are not records."""
    rows = [*_sheet_rows(), [], [], []]
    write_xlsx(inbox / "ho_so.xlsx", {"S": rows})
    _load(con, inbox, quarantine)
    assert con.execute("select max(source_row) from raw.dossier_records").fetchall() == [(HEADER_ROW + 10,)]


def test_empty_row_inside_is_skipped_rows_stay_the_sheets(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """An empty row between records holds no record (INPUTS.md: blank rows around the
    header; a spacer between records is the same): it is skipped, and the records under it
    keep their sheet rows."""
    rows = _sheet_rows()
    rows.insert(HEADER_ROW + 2, [])
    write_xlsx(inbox / "ho_so.xlsx", {"S": rows})
    _load(con, inbox, quarantine)
    assert _stored(con) == EXPECTED
    stored = con.execute("select source_row from raw.dossier_records order by 1").fetchall()
    source_rows = [r[0] for r in stored]
    expected_rows = [HEADER_ROW + 1, HEADER_ROW + 2, *range(HEADER_ROW + 4, HEADER_ROW + 12)]
    assert source_rows == expected_rows


def test_xls_with_title_block(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_xls_grid(inbox / "ho_so_nha_trang.xls", _sheet_rows())
    _load(con, inbox, quarantine)
    assert _stored(con) == EXPECTED
    rows = con.execute("select min(source_row), max(source_row) from raw.dossier_records").fetchall()
    assert rows == [(HEADER_ROW + 1, HEADER_ROW + 10)]


def test_xls_table_not_at_a1(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    """Empty rows and a column above and left of the table: rows and columns stay the sheet's."""
    rows = [list(r) for r in VI_ROWS]
    rows[0][VI_HEADER.index("Ngày yêu cầu bổ sung")] = "hôm qua"  # dossier A
    write_xls_grid(inbox / "ho_so.xls", _sheet_rows(rows), origin=(2, 1))
    _assert_rejected(
        con,
        inbox,
        quarantine,
        "cannot read 'hôm qua' as a timestamp",
        row=2 + HEADER_ROW + 1,
        column=f"{chr(ord('A') + 1 + VI_HEADER.index('Ngày yêu cầu bổ sung'))} (Ngày yêu cầu bổ sung)",
    )
