"""Record exports laid out as INPUTS.md allows every file to be: title rows above the header,
blank rows around it, the form's numbering row under it, a totals row ("Tổng cộng", "Cộng",
"Total") at the bottom with the signature block under it. The totals row and what follows
are not records; a totals row with records under it is refused, naming both rows. Each
case goes through the real loader (``register_inbox`` + ``load_family``) into a real DuckDB
file, as .csv, .csv.gz and .xlsx."""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv, write_xlsx

RUN = "run-title-totals"
HEADER = ["STT", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Hạn xử lý", "Ngày hoàn thành"]
RECORDS = [
    ["1", "H56-0001", "568", "Trực tuyến", "01/03/2023 08:00", "05/03/2023 17:00", "04/03/2023 10:00"],
    ["2", "H56-0002", "568", "Trực tiếp", "02/03/2023 09:00", "06/03/2023 17:00", ""],
    ["3", "H56-0003", "568", "Bưu chính", "03/03/2023 10:00", "07/03/2023 17:00", "08/03/2023 10:00"],
]
TITLE = [
    ["UBND THỊ XÃ HÒA THÀNH"],
    ["DANH SÁCH HỒ SƠ TIẾP NHẬN", "", "", "", "", "", ""],
    ["Từ ngày 01/03/2023 đến ngày 31/03/2023"],
    [],
]
TOTALS = [["Tổng cộng", "", "", "", "3 hồ sơ", "", ""]]
SIGNATURE = [
    [],
    ["", "", "", "", "Hòa Thành, ngày 05 tháng 4 năm 2023"],
    ["Người lập biểu", "", "", "", "Thủ trưởng đơn vị"],
    ["(Ký, ghi rõ họ tên)"],
]


def _write(inbox: Path, kind: str, rows: list[list]) -> Path:
    name = inbox / f"ho_so_hoa_thanh_2023.{kind}"
    if kind == "xlsx":
        return write_xlsx(name, {"Danh sách": rows})
    plain = write_csv(inbox / "plain.csv", rows)
    if kind == "csv":
        return plain.rename(name)
    with open(plain, "rb") as src, gzip.open(name, "wb") as dst:
        shutil.copyfileobj(src, dst)
    plain.unlink()
    return name


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path):
    register_inbox(con, inbox, quarantine, RUN)
    outcomes = load_family(con, "dossier_records", quarantine, RUN).outcomes
    assert len(outcomes) == 1, outcomes
    return outcomes[0]


def _loaded(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select source_row, dossier_id, channel, finished_at is null"
        " from raw.dossier_records order by source_row"
    ).fetchall()


def _rows_from(first: int) -> list[tuple]:
    """The three records as loaded, the first on sheet/file row ``first``."""
    return [
        (first, "H56-0001", "truc_tuyen", False),
        (first + 1, "H56-0002", "truc_tiep", True),
        (first + 2, "H56-0003", "buu_chinh", False),
    ]


KINDS = ["csv", "csv.gz", "xlsx"]


@pytest.mark.parametrize("kind", KINDS)
def test_title_block_above_the_header(con, inbox: Path, quarantine: Path, kind: str) -> None:
    _write(inbox, kind, [*TITLE, HEADER, *RECORDS])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _loaded(con) == _rows_from(6)  # the header is row 5: row numbers are the file's


@pytest.mark.parametrize("kind", KINDS)
def test_totals_and_signature_rows_under_the_records(con, inbox: Path, quarantine: Path, kind: str) -> None:
    _write(inbox, kind, [HEADER, *RECORDS, *TOTALS, *SIGNATURE])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert outcome.rows == 3
    assert _loaded(con) == _rows_from(2)


@pytest.mark.parametrize("kind", KINDS)
def test_title_numbering_row_totals_and_blank_rows(con, inbox: Path, quarantine: Path, kind: str) -> None:
    numbering = ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"]
    rows = [*TITLE, HEADER, numbering, RECORDS[0], [], RECORDS[1], RECORDS[2], [], *TOTALS, *SIGNATURE]
    _write(inbox, kind, rows)
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _loaded(con) == [
        (7, "H56-0001", "truc_tuyen", False),
        (9, "H56-0002", "truc_tiep", True),
        (10, "H56-0003", "buu_chinh", False),
    ]


@pytest.mark.parametrize("label", ["Cộng", "TỔNG SỐ", "Total", "Tổng số hồ sơ: 3"])
def test_totals_labels(con, inbox: Path, quarantine: Path, label: str) -> None:
    _write(inbox, "csv", [HEADER, *RECORDS, [label, "", "", "", "", "", ""]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert [r[1] for r in _loaded(con)] == ["H56-0001", "H56-0002", "H56-0003"]


@pytest.mark.parametrize("kind", KINDS)
def test_a_totals_row_with_records_under_it_is_refused(con, inbox: Path, quarantine: Path, kind: str) -> None:
    """Records below a totals row: a second table, or rows pasted under the form. Which
    rows are meant is not known: the file is refused, naming both rows."""
    _write(inbox, kind, [*TITLE, HEADER, RECORDS[0], *TOTALS, RECORDS[1], RECORDS[2]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    status, row, message_vi = con.execute(
        "select status, error_row, message_vi from raw.file_manifest"
    ).fetchall()[0]
    assert row == 8  # the first record under the totals row of row 7
    assert "dòng 7" in message_vi and "Tổng cộng" in message_vi, message_vi
    assert con.execute("select count(*) from raw.dossier_records").fetchall() == [(0,)]


def test_a_procedure_named_like_a_total_is_a_record(con, inbox: Path, quarantine: Path) -> None:
    """ "Cộng nhận" is not "Công nhận", but a row holding a dossier id is a record whatever
    its first text: it is loaded, not dropped as a totals row."""
    header = ["Tên thủ tục", *HEADER[1:]]
    last = ["Tổng hợp ý kiến", "H56-0004", "568", "Trực tiếp", "04/03/2023 08:00", "08/03/2023 17:00", ""]
    _write(inbox, "csv", [header, *[["Cấp phép", *r[1:]] for r in RECORDS], last])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert [r[1] for r in _loaded(con)] == ["H56-0001", "H56-0002", "H56-0003", "H56-0004"]


def test_no_header_among_the_first_rows_is_refused(con, inbox: Path, quarantine: Path) -> None:
    _write(inbox, "csv", [["DANH SÁCH HỒ SƠ"], ["a", "b", "c"], *RECORDS])
    # the file holds no header of any family: classification itself refuses it
    register_inbox(con, inbox, quarantine, RUN)
    status, message_vi = con.execute("select status, message_vi from raw.file_manifest").fetchall()[0]
    assert status != "loaded"
    assert message_vi


@pytest.mark.parametrize("kind", KINDS)
def test_signature_lines_without_a_totals_row(con, inbox: Path, quarantine: Path, kind: str) -> None:
    """ "Người xuất: … 05/04/2023 10:15" under the records was loaded as an in-person dossier
    pending for ever (QA 3): the export's footer lines are left out with or without a totals
    row above them."""
    footer = [
        [],
        ["", "Người xuất:", "", "", "05/04/2023 10:15"],
        ["", "Thời điểm trích xuất:", "", "", "05/04/2023 10:15"],
        ["Ghi chú: số liệu trích xuất từ hệ thống một cửa điện tử"],
        ["Người lập biểu", "", "Kế toán", "", "Thủ trưởng đơn vị"],
    ]
    _write(inbox, kind, [HEADER, *RECORDS, *footer])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _loaded(con) == _rows_from(2)


@pytest.mark.parametrize(("count", "status"), [("3", "loaded"), ("1.234", "rejected")])
def test_a_totals_row_counting_the_dossiers_is_checked(
    con, inbox: Path, quarantine: Path, count: str, status: str
) -> None:
    """ "Tổng cộng | 3" under the dossier id column: the count of the records above it (INPUTS:
    the totals row is kept for the sum-of-parts check); a count that differs refuses the
    file, naming the totals row."""
    _write(inbox, "csv", [HEADER, *RECORDS, ["Tổng cộng", count, "", "", "", "", ""], SIGNATURE[2]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == status, outcome.message_vi
    if status == "rejected":
        row, message_vi = con.execute("select error_row, message_vi from raw.file_manifest").fetchall()[0]
        assert row == 5
        assert "1234 hồ sơ" in message_vi and "3 dòng hồ sơ" in message_vi, message_vi
    else:
        assert [r[1] for r in _loaded(con)] == ["H56-0001", "H56-0002", "H56-0003"]


def test_a_signature_line_with_records_under_it_is_refused(con, inbox: Path, quarantine: Path) -> None:
    _write(inbox, "csv", [HEADER, RECORDS[0], ["Người lập biểu"], RECORDS[1]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    row, message_vi = con.execute("select error_row, message_vi from raw.file_manifest").fetchall()[0]
    assert row == 4
    assert "dòng 3" in message_vi and "Người lập biểu" in message_vi, message_vi


def test_a_procedure_called_xac_nhan_is_a_record(con, inbox: Path, quarantine: Path) -> None:
    """ "Xác nhận tình trạng hôn nhân" as the first column: a record (it has a dossier id)."""
    header = ["Tên thủ tục", *HEADER[1:]]
    rows = [["Xác nhận tình trạng hôn nhân", *r[1:]] for r in RECORDS]
    _write(inbox, "csv", [header, *rows])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert len(_loaded(con)) == 3


@pytest.mark.parametrize(("title", "row"), [(False, 3), (True, 7)])
def test_a_row_of_another_width_is_named(con, inbox: Path, quarantine: Path, title: bool, row: int) -> None:
    """A row with a separator too few was refused as 'the file cannot be read completely',
    no row named (QA 3): the row is named, counted as the file's."""
    short = RECORDS[1][:5]
    _write(inbox, "csv", [*(TITLE if title else []), HEADER, RECORDS[0], short, RECORDS[2]])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected"
    error_row, message_vi = con.execute("select error_row, message_vi from raw.file_manifest").fetchall()[0]
    assert error_row == row, message_vi
    assert "có 5 cột trong khi dòng tên cột có 7 cột" in message_vi, message_vi


# --- QA round 4 -----------------------------------------------------------------------------

SHORT_HEADER = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"]
SHORT_ROWS = [["S1", "568", "1", "01/03/2023 08:00"], ["S2", "568", "2", "02/03/2023 08:00"]]


def _ids(con: duckdb.DuckDBPyConnection) -> list[str]:
    return [
        r[0] for r in con.execute("select dossier_id from raw.dossier_records order by source_row").fetchall()
    ]


@pytest.mark.parametrize(
    "footer",
    [
        [["Người xuất: admin", "568", "", "05/04/2023 10:15"], *[[""] * 4] * 50],  # 50 blank lines below
        [["Thời gian in:", "", "", "05/04/2023 10:15"]],
        [["Xuất bởi: admin"], ["Ngày giờ xuất:", "", "", "05/04/2023 10:15"]],
        [["LẬP BIỂU", "", "TRƯỞNG BỘ PHẬN MỘT CỬA"], ["TM. ỦY BAN NHÂN DÂN"], ["CHỦ TỊCH"]],
        [["", "", "Nha Trang, ngày ... tháng ... năm 2023"], ["Trang 1/1"], ["Nguồn: hệ thống một cửa"]],
        [["Tổng cộng", "2"], ["Người lập biểu"], ["Nguyễn Văn A"]],
    ],
    ids=["blank-lines-below", "thoi-gian-in", "xuat-boi", "capitals", "dotted-date", "signer-name"],
)
@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_footers_as_exports_write_them(con, inbox: Path, quarantine: Path, footer: list, kind: str) -> None:
    """QA 4: footer lines the first vocabulary missed loaded as pending dossiers."""
    _write(inbox, kind, [SHORT_HEADER, *SHORT_ROWS, *footer])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert _ids(con) == ["S1", "S2"]


@pytest.mark.parametrize(
    "rows",
    [
        [
            SHORT_ROWS[0],
            ["Cộng trang 1: 1", "", "", ""],
            ["S2", "", "", "02/03/2023 08:00"],
            ["Tổng cộng: 2"],
        ],
        [*SHORT_ROWS, ["Ghi chú: hồ sơ bổ sung"], ["S3", "", "", "03/03/2023 08:00"]],
    ],
    ids=["under-a-subtotal", "under-a-note"],
)
def test_records_under_a_subtotal_or_note_are_refused_not_dropped(
    con, inbox: Path, quarantine: Path, rows: list
) -> None:
    """QA 4: records of two filled cells under a subtotal were thrown away with it."""
    _write(inbox, "csv", [SHORT_HEADER, *rows])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", _ids(con)
    assert "bên dưới vẫn còn hồ sơ" in outcome.message_vi, outcome.message_vi


@pytest.mark.parametrize(
    ("header", "last"),
    [
        (
            ["Lĩnh vực", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"],
            ["Công chứng", "3", "568", "2", "03/03/2023"],
        ),
        (
            ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"],
            ["TONG-2023-0003", "568", "2", "03/03/2023 08:00"],
        ),
        (
            ["Lĩnh vực", "Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận"],
            ["Tổng hợp", "3", "568", "2", "03/03/2023"],
        ),
    ],
    ids=["cong-chung", "tong-id", "tong-hop-with-id-and-date"],
)
def test_a_last_record_that_starts_like_a_total_is_a_record(
    con, inbox: Path, quarantine: Path, header: list, last: list
) -> None:
    """QA 4: "Công chứng | 2 | …" (not "Cộng") and an id "TONG-…" with a date were dropped as
    totals rows: a dossier id beside a date is a record."""
    first = [["Hộ tịch", *r[:1], *r[1:]] if len(header) == 5 else r for r in SHORT_ROWS]
    _write(inbox, "csv", [header, *first, last])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome.message_vi
    assert len(_ids(con)) == 3


@pytest.mark.parametrize(
    "totals",
    [["Tổng cộng", "", "", "5 hồ sơ"], ["Tổng cộng (5 hồ sơ)"], ["TỔNG CỘNG: 5 HỒ SƠ"]],
    ids=["count-under-another-column", "count-in-brackets", "capitals"],
)
def test_a_totals_count_written_with_its_noun_is_checked(
    con, inbox: Path, quarantine: Path, totals: list
) -> None:
    """QA 4: "5 hồ sơ" under another column, or in brackets, was never compared with the
    two records above it."""
    _write(inbox, "csv", [SHORT_HEADER, *SHORT_ROWS, totals])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", _ids(con)
    assert "ghi 5 hồ sơ nhưng phía trên có 2 dòng hồ sơ" in outcome.message_vi, outcome.message_vi
