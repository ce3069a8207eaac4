"""Dossier status histories (family dossier_status_history, ingest/status_history.py): one row
per status change, told apart from a record export by its header, read with Vietnamese
headings and the portal's names, status codes and words, times as the portal writes them
(yyyyMMddHHmmss) and as dd/mm/yyyy [HH:MM[:SS]], from .csv and .xlsx. Refusals name the
file, the row and the column; the handler's name and notes are never read. Real DuckDB
warehouse, the inbox's own registration and loading."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path

import duckdb

from ingest.headers import find_header
from ingest.inbox import CLASSIFIER_PACKAGES, classifier_version, load_family, packages_digest, register_inbox
from tests.ingest.conftest import write_csv, write_xlsx

RUN = "run-history"
FAMILY = "dossier_status_history"
HANDLER = "Nguyễn Văn Xử"  # a handler's name: must never reach the warehouse
NOTE = "Đã gọi cho Trần Thị Bé, số 0912345678"  # a handler's note, with a phone number

VI_HEADER = ["STT", "Mã hồ sơ", "Mã đơn vị", "Trạng thái", "Thời điểm", "Người xử lý", "Ý kiến xử lý"]
VI_ROWS = [
    ["1", "A", "568", "Đã tiếp nhận", "01/03/2023 08:00", HANDLER, NOTE],
    ["2", "A", "568", "Chờ bổ sung", "03/03/2023 09:30", HANDLER, NOTE],
    ["3", "A", "568", "Đang xử lý", "06/03/2023", HANDLER, ""],
    ["4", "A", "568", "Đã giải quyết", "10/03/2023 16:45:10", HANDLER, ""],
    ["5", "B", "568", "2", "02/03/2023 08:00", "", ""],
    ["6", "B", "568", "5", "04/03/2023 08:00", "", ""],
]
EXPECTED = [
    ("A", "L568", "in_process", datetime(2023, 3, 1, 8, 0), 2),
    ("A", "L568", "waiting_supplement", datetime(2023, 3, 3, 9, 30), 3),
    ("A", "L568", "in_process", datetime(2023, 3, 6), 4),
    ("A", "L568", "resolved", datetime(2023, 3, 10, 16, 45, 10), 5),
    ("B", "L568", "in_process", datetime(2023, 3, 2, 8, 0), 6),
    ("B", "L568", "waiting_supplement", datetime(2023, 3, 4, 8, 0), 7),
]


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, family: str = FAMILY):
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert [(o.family, o.status) for o in outcomes] == [(family, "pending")], outcomes
    return load_family(con, family, quarantine, RUN).outcomes[0]


def _stored(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select dossier_id, unit_code, status, changed_at, source_row from raw.dossier_status_history"
        " order by dossier_id, source_row"
    ).fetchall()


def _rejected(con, inbox, quarantine, pattern: str, row: int, column: str) -> str:
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "rejected", outcome
    assert re.search(pattern, outcome.message_vi), outcome.message_vi
    assert f"dòng {row}" in outcome.message_vi
    stored = con.execute(
        "select error_row, error_column, file_name from raw.file_manifest where status = 'rejected'"
    ).fetchall()
    assert stored[0][0] == row and column in (stored[0][1] or "")
    assert stored[0][2] in outcome.message_vi or stored[0][2] in outcome.message
    assert con.execute("select count(*) from raw.dossier_status_history").fetchall() == [(0,)]
    return outcome.message_vi


def _all_text(con: duckdb.DuckDBPyConnection) -> str:
    """Every text value of every table of the warehouse (raw, marts …), as one string."""
    tables = con.execute(
        "select table_schema, table_name from information_schema.tables where table_type = 'BASE TABLE'"
    ).fetchall()
    parts = []
    for schema, table in tables:
        for row in con.execute(f'select * from "{schema}"."{table}"').fetchall():
            parts.extend(str(v) for v in row if v is not None)
    return "\n".join(parts)


# ---------------------------------------------------------------- told apart


def test_header_tells_a_history_from_a_record_export() -> None:
    assert find_header([tuple(VI_HEADER)]).family == FAMILY
    assert find_header([("MaHoSo", "TrangThaiMoi", "ThoiDiem", "NguoiXuLy")]).family == FAMILY
    # with a procedure code beside (a column records also have) it is still a history
    assert find_header([("Mã hồ sơ", "Mã TTHC", "Trạng thái", "Ngày cập nhật")]).family == FAMILY
    # a channel or a reception date: a record export, even with a time column
    record = ("Mã hồ sơ", "Kênh", "Ngày tiếp nhận", "Trạng thái", "Thời gian")
    assert find_header([record]).family == "dossier_records"
    portal_record = ("MaHoSo", "NgayTiepNhan", "TrangThaiHoSo", "NgayCapNhat")
    assert find_header([portal_record]).family == "dossier_records"
    # the handler's columns are read as nothing
    match = find_header([tuple(VI_HEADER)])
    assert set(match.columns) == {"dossier_id", "unit_code", "status", "changed_at"}


# ---------------------------------------------------------------- reading


def test_vietnamese_headings_codes_words_and_both_time_forms(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(inbox / "lich_su_xu_ly.csv", [VI_HEADER, *VI_ROWS])
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded" and outcome.rows == 6, outcome
    assert _stored(con) == EXPECTED
    manifest = con.execute(
        "select unit_codes, period_labels from raw.file_manifest where status = 'loaded'"
    ).fetchall()
    assert manifest == [(["L568"], ["2023-YTD-03-10"])]


def test_portal_names_and_yyyymmddhhmmss_unit_from_file_name(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [
        ["MaHoSo", "TrangThaiMoi", "ThoiDiem", "NguoiXuLy"],
        ["P1", "2", "20230301080000", HANDLER],
        ["P1", "5", "20230302093000", HANDLER],
        ["P1", "4", "20230305101500", HANDLER],
        ["P1", "10", "20230307170000", HANDLER],
    ]
    write_csv(inbox / "lichsu_568_2023.csv", rows)
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome
    assert [(d, u, s, t) for d, u, s, t, _ in _stored(con)] == [
        ("P1", "L568", "in_process", datetime(2023, 3, 1, 8)),
        ("P1", "L568", "waiting_supplement", datetime(2023, 3, 2, 9, 30)),
        ("P1", "L568", "in_process", datetime(2023, 3, 5, 10, 15)),
        ("P1", "L568", "resolved", datetime(2023, 3, 7, 17)),
    ]


def test_dossier_keeps_its_legacy_unit_across_the_reorganisation(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """A GSO code is read in the era of the dossier's first change in the file: a dossier
    received in June 2025 and resolved in July keeps its legacy unit on every row."""
    rows = [
        ["Mã hồ sơ", "Mã đơn vị", "Trạng thái", "Thời gian"],
        ["Q", "568", "Đang xử lý", "25/06/2025 08:00"],
        ["Q", "568", "Đã giải quyết", "03/07/2025 08:00"],
    ]
    write_csv(inbox / "lich_su.csv", rows)
    assert _load(con, inbox, quarantine).status == "loaded"
    assert {u for _, u, *_ in _stored(con)} == {"L568"}


def test_semicolon_csv_with_bom(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    write_csv(inbox / "lich_su.csv", [VI_HEADER, *VI_ROWS], delimiter=";", bom=True)
    assert _load(con, inbox, quarantine).status == "loaded"
    assert _stored(con) == EXPECTED


def test_xlsx_with_title_block(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    title = [["UBND THÀNH PHỐ NHA TRANG"], ["LỊCH SỬ XỬ LÝ HỒ SƠ"], []]
    data = [list(r) for r in VI_ROWS]
    data[0][4] = datetime(2023, 3, 1, 8, 0)  # an Excel date cell
    write_xlsx(inbox / "lich_su.xlsx", {"Lịch sử": [*title, VI_HEADER, *data]})
    outcome = _load(con, inbox, quarantine)
    assert outcome.status == "loaded", outcome
    header_row = len(title) + 1
    assert _stored(con) == [(*e[:4], header_row + e[4] - 1) for e in EXPECTED]


# ---------------------------------------------------------------- refusals


def test_unknown_status_word_names_file_row_column(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [VI_HEADER, *VI_ROWS[:3], ["4", "A", "568", "Đang phân vân", "07/03/2023", HANDLER, ""]]
    write_csv(inbox / "lich_su.csv", rows)
    message = _rejected(con, inbox, quarantine, "trạng thái hồ sơ không hợp lệ: 'Đang phân vân'", 5, "D")
    assert "lich_su.csv" in message and "Trạng thái" in message


def test_unreadable_time_names_file_row_column(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [VI_HEADER, *VI_ROWS[:2], ["3", "A", "568", "Đang xử lý", "hôm qua", HANDLER, ""]]
    write_csv(inbox / "lich_su.csv", rows)
    message = _rejected(con, inbox, quarantine, "không đọc được 'hôm qua' thành thời điểm", 4, "E")
    assert "Thời điểm" in message


def test_missing_dossier_id_names_file_row_column(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [VI_HEADER, *VI_ROWS[:4], ["5", "", "568", "2", "02/03/2023 08:00", "", ""]]
    write_csv(inbox / "lich_su.csv", rows)
    _rejected(con, inbox, quarantine, "thiếu mã hồ sơ", 6, "B")


def test_time_outside_the_plausible_window_is_refused(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [VI_HEADER, *VI_ROWS[:1], ["2", "A", "568", "Chờ bổ sung", "03/03/9999 09:30", "", ""]]
    write_csv(inbox / "lich_su.csv", rows)
    _rejected(con, inbox, quarantine, "nằm ngoài khoảng ngày hợp lý", 3, "E")


def test_unknown_unit_is_refused(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    rows = [VI_HEADER, ["1", "A", "99999", "2", "01/03/2023 08:00", "", ""]]
    write_csv(inbox / "lich_su.csv", rows)
    _rejected(con, inbox, quarantine, "mã đơn vị '99999'", 2, "C")


# ---------------------------------------------------------------- personal data


def test_handler_name_and_notes_never_stored(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(inbox / "lich_su_xu_ly.csv", [VI_HEADER, *VI_ROWS])
    assert _load(con, inbox, quarantine).status == "loaded"
    text = _all_text(con)
    for secret in (HANDLER, "Trần Thị Bé", "0912345678", "Đã gọi"):
        assert secret not in text
    assert "lich_su_xu_ly.csv" in text  # the search does see the manifest


def test_handler_name_not_in_a_refusal(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> None:
    """A row refused for its time: the message, the manifest and the finding name the row and
    the column, never the handler on that row."""
    rows = [VI_HEADER, ["1", "A", "568", "2", "không rõ", HANDLER, NOTE]]
    write_csv(inbox / "lich_su.csv", rows)
    message = _rejected(con, inbox, quarantine, "thành thời điểm", 2, "E")
    assert HANDLER not in message
    text = _all_text(con)
    assert HANDLER not in text and "0912345678" not in text and "Trần Thị Bé" not in text


def test_a_status_cell_holding_a_name_is_not_quoted(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [VI_HEADER, ["1", "A", "568", HANDLER, "01/03/2023 08:00", "", ""]]
    write_csv(inbox / "lich_su.csv", rows)
    message = _rejected(con, inbox, quarantine, "trạng thái hồ sơ không hợp lệ: '…'", 2, "D")
    assert HANDLER not in message and HANDLER not in _all_text(con)


# ---------------------------------------------------------------- withdrawal


def test_withdrawal_removes_the_history_rows(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Rows are keyed by file_id: a withdrawal deletes from every raw table with a file_id
    column (submissions/withdrawal.py), this one included."""
    from submissions.withdrawal import _delete_file_rows, _file_tables

    write_csv(inbox / "lich_su_xu_ly.csv", [VI_HEADER, *VI_ROWS])
    assert _load(con, inbox, quarantine).status == "loaded"
    (file_id,) = con.execute("select distinct file_id from raw.dossier_status_history").fetchone()
    assert "dossier_status_history" in _file_tables(con)
    assert _delete_file_rows(con, "dossier_status_history", file_id) == 6
    assert con.execute("select count(*) from raw.dossier_status_history").fetchall() == [(0,)]


# ---------------------------------------------------------------- classifier version


def test_classifier_version_covers_the_narratives_package(tmp_path: Path) -> None:
    """A change to narratives/reader.py must reclassify remembered files: the digest covers
    the narratives package beside ingest (a changed reader.py in a copy changes it)."""
    assert CLASSIFIER_PACKAGES == ("ingest", "narratives")
    for name, text in {"ingest/headers.py": "A = 1\n", "narratives/reader.py": "B = 1\n"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text, encoding="utf-8")
    before = packages_digest(tmp_path, CLASSIFIER_PACKAGES)
    (tmp_path / "narratives" / "reader.py").write_text("B = 2\n", encoding="utf-8")
    assert packages_digest(tmp_path, CLASSIFIER_PACKAGES) != before
    top = Path(__file__).resolve().parents[2]
    assert classifier_version() == packages_digest(top, ("ingest", "narratives"))
    assert classifier_version() != packages_digest(top, ("ingest",))


def test_the_quarantine_copy_of_a_refused_history_drops_handlers_and_notes(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """The handler's column and the handler's note are personal (ingest/config/personal.yaml):
    the copy of a refused file kept for the unit to correct holds neither, the rest stays."""
    rows = [VI_HEADER, *VI_ROWS, ["7", "C", "568", "2", "không rõ", HANDLER, NOTE]]
    write_csv(inbox / "lich_su.csv", rows)
    _rejected(con, inbox, quarantine, "thành thời điểm", 8, "E")
    copies = [p for p in quarantine.rglob("*") if p.is_file() and p.suffix == ".csv"]
    assert copies, sorted(quarantine.rglob("*"))
    text = "\n".join(p.read_text(encoding="utf-8-sig") for p in copies)
    for secret in (HANDLER, "Trần Thị Bé", "0912345678", "Người xử lý", "Ý kiến xử lý"):
        assert secret not in text, secret
    assert "Mã hồ sơ" in text and "Đã giải quyết" in text and "không rõ" in text
