"""Record exports (and aggregated forms) at the door: names reach DuckDB as literal files,
dates and counts within a plausible window, dates in the wrong order flagged per row,
timestamps with an offset read in Asia/Ho_Chi_Minh (issue 15, items 2, 4 and 7).

Every test writes the smallest file that reproduced its defect and loads it through the
real loader (``register_inbox`` + ``load_family``) into a real DuckDB file.
"""

from __future__ import annotations

import gzip
from datetime import date, datetime
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from ingest.dates import date_window
from ingest.inbox import load_family, register_inbox
from ingest.numbers import MAX_COUNT
from ingest.records import RULE_DUE_BEFORE_RECEIVED, RULE_FINISHED_BEFORE_RECEIVED
from tests.ingest.conftest import write_csv

RUN = "run-door"
HEADER = ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Ngày hẹn trả", "Ngày kết thúc xử lý"]


def _row(dossier: str, received: str, due: str = "", finished: str = "") -> list[str]:
    return [dossier, "867", "1", received, due, finished]


def _gz(path: Path, rows: list[list[str]]) -> Path:
    plain = "\n".join(",".join(r) for r in rows) + "\n"
    path.write_bytes(gzip.compress(plain.encode("utf-8")))
    return path


def _load(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, family: str = "dossier_records"):
    register_inbox(con, inbox, quarantine, RUN)
    return load_family(con, family, quarantine, RUN)


def _manifest(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in con.execute(
            "select file_name, status, row_count, error_row, error_column, message, message_vi"
            " from raw.file_manifest"
        ).fetchall()
    }


# --- isolation of names (item 4) ---------------------------------------------------------


def test_glob_characters_in_names_load_only_their_own_file(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """``ho_so_*.csv.gz`` read three other files' rows and ``ho_so_c[1].csv.gz`` read
    ``ho_so_c1.csv.gz``: each file's rows now come from itself only."""
    sizes = {
        "ho_so_*.csv.gz": 2,
        "ho_so_c[1].csv.gz": 3,
        "ho_so_c1.csv.gz": 1,
        "ho_so_{a,b}.csv.gz": 4,
        "ho_so_o'quote.csv.gz": 5,
    }
    for i, (name, n) in enumerate(sizes.items()):
        rows = [_row(f"F{i}-{k}", "01/08/2023 08:00") for k in range(n)]
        _gz(inbox / name, [HEADER, *rows])
    table = pa.table(
        {
            "MaHoSo": [f"P-{k}" for k in range(6)],
            "MaDonVi": ["867"] * 6,
            "KenhThucHien": ["2"] * 6,
            "NgayTiepNhan": ["20230801080000"] * 6,
        }
    )
    pq.write_table(table, inbox / "ho_so_?.parquet")
    sizes["ho_so_?.parquet"] = 6
    report = _load(con, inbox, quarantine)
    assert report.files_loaded == len(sizes), report.outcomes
    per_file = dict(
        con.execute(
            "select m.file_name, count(*) from raw.dossier_records r"
            " join raw.file_manifest m on m.file_id = r.file_id group by 1"
        ).fetchall()
    )
    assert per_file == sizes
    # and the rows are the file's own (their dossier ids carry the file's number)
    prefixes = dict(
        con.execute(
            "select m.file_name, list(distinct split_part(r.dossier_id, '-', 1)) from raw.dossier_records r"
            " join raw.file_manifest m on m.file_id = r.file_id group by 1"
        ).fetchall()
    )
    assert prefixes == {name: [f"F{i}" if name != "ho_so_?.parquet" else "P"] for i, name in enumerate(sizes)}


# --- plausible dates (item 2) -----------------------------------------------------------


def test_two_records_dated_9999_reject_the_file(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(
        inbox / "ho_so_867.csv",
        [
            HEADER,
            _row("A", "01/08/2023 08:00"),
            _row("B", "01/01/9999 08:00"),
            _row("C", "02/01/9999 08:00"),
        ],
    )
    report = _load(con, inbox, quarantine)
    assert (report.files_loaded, report.files_rejected) == (0, 1)
    status, rows, error_row, error_column, en, vi = _manifest(con)["ho_so_867.csv"]
    assert (status, rows, error_row, error_column) == ("rejected", 0, 3, "D (Ngày tiếp nhận)")
    window = date_window()
    assert "'01/01/9999 08:00'" in en and "2 row(s)" in en and window.shown in en
    assert "row 3" in en and "Ngày tiếp nhận" in en
    assert "'01/01/9999 08:00'" in vi and "2 dòng" in vi and window.shown in vi
    assert con.execute("select count(*) from raw.dossier_records").fetchall()[0][0] == 0


def test_a_due_date_in_1900_names_its_own_column(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """The first offending row is reported, whatever column it is in."""
    write_csv(
        inbox / "ho_so_867.csv",
        [
            HEADER,
            _row("A", "01/08/2023 08:00", "05/08/2023"),
            _row("B", "01/08/2023 08:00", "05/08/1900"),
            _row("C", "01/08/3023 08:00", "05/08/2023"),
        ],
    )
    _load(con, inbox, quarantine)
    status, _, error_row, error_column, en, _ = _manifest(con)["ho_so_867.csv"]
    assert (status, error_row, error_column) == ("rejected", 3, "E (Ngày hẹn trả)")
    assert "'05/08/1900'" in en and "2 row(s)" in en


def test_window_is_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PARWH_EARLIEST_DATE", "2015-01-01")
    monkeypatch.setenv("PARWH_LATEST_DATE_MARGIN_DAYS", "10")
    window = date_window(date(2024, 2, 25))
    assert (window.earliest, window.latest) == (date(2015, 1, 1), date(2024, 3, 6))
    monkeypatch.setenv("PARWH_EARLIEST_DATE", "năm 2000")
    with pytest.raises(ValueError, match="PARWH_EARLIEST_DATE"):
        date_window()


# --- dates in the wrong order (item 7) ---------------------------------------------------


def test_finished_or_due_before_received_is_flagged_per_row(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(
        inbox / "ho_so_867.csv",
        [
            HEADER,
            _row("A", "01/08/2023 08:00", "05/08/2023", "03/08/2023"),
            _row("B", "10/08/2023 08:00", "15/08/2023", "28/07/2023"),  # finished before
            _row("C", "10/08/2023 08:00", "01/08/2023", ""),  # due before
            _row("D", "10/08/2023 09:00", "15/08/2023", "10/08/2023 07:00"),  # same day: fine
        ],
    )
    report = _load(con, inbox, quarantine)
    assert report.files_loaded == 1, report.outcomes
    assert con.execute("select count(*) from raw.dossier_records").fetchall()[0][0] == 4
    findings = con.execute(
        "select m.file_name, f.source_family, f.source_row, f.column_ref, f.rule, f.severity,"
        " f.stated_value, f.difference, f.unit_code, f.period_label, f.message, f.message_vi"
        " from raw.load_findings f join raw.file_manifest m on m.file_id = f.file_id"
        " order by f.source_row"
    ).fetchall()
    name, family = "ho_so_867.csv", "dossier_records"
    assert [f[:10] for f in findings] == [
        (
            name,
            family,
            3,
            "F (Ngày kết thúc xử lý)",
            RULE_FINISHED_BEFORE_RECEIVED,
            "warn",
            -13,
            -13,
            "L867",
            "2023-08",
        ),
        (name, family, 4, "E (Ngày hẹn trả)", RULE_DUE_BEFORE_RECEIVED, "warn", -9, -9, "L867", "2023-08"),
    ]
    assert "28/07/2023" in findings[0][10] and "10/08/2023" in findings[0][10]
    assert "no month" in findings[0][10] and "không được tính" in findings[0][11]
    assert "01/08/2023" in findings[1][10] and "late" in findings[1][10]


def test_returned_date_stands_in_and_is_named(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Where the end of processing is blank the return date stands in: the finding names
    the column the date came from."""
    write_csv(
        inbox / "ho_so_867.csv",
        [
            ["Mã hồ sơ", "Mã đơn vị", "Kênh", "Ngày tiếp nhận", "Ngày kết thúc xử lý", "Ngày trả kết quả"],
            ["A", "867", "1", "10/08/2023", "", "01/08/2023"],
            ["B", "867", "1", "10/08/2023", "09/08/2023", ""],
        ],
    )
    _load(con, inbox, quarantine)
    found = con.execute("select source_row, column_ref from raw.load_findings order by 1").fetchall()
    assert found == [(2, "F (Ngày trả kết quả)"), (3, "E (Ngày kết thúc xử lý)")]


# --- time zones (item 7) -----------------------------------------------------------------


def test_offsets_are_converted_to_local_time(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """A dossier received at 00:30 +07:00 on 1 July counts in July, not at 17:30 UTC on
    30 June; naive timestamps are local time already."""
    write_csv(
        inbox / "ho_so_867.csv",
        [
            HEADER,
            _row("A", "2023-07-01T00:30:00+07:00", "2023-07-05T17:00:00+0700"),
            _row("B", "2023-06-30T17:30:00Z"),
            _row("C", "2023-07-01 00:30:00"),
            _row("D", "01-07-2023"),  # day-month-year: its "-2023" is no offset
        ],
    )
    table = pa.table(
        {
            "MaHoSo": ["P"],
            "MaDonVi": ["867"],
            "KenhThucHien": ["2"],
            "NgayTiepNhan": pa.array([datetime(2023, 6, 30, 17, 30)], pa.timestamp("us", tz="UTC")),
        }
    )
    pq.write_table(table, inbox / "ho_so_867_utc.parquet")
    report = _load(con, inbox, quarantine)
    assert report.files_loaded == 2, report.outcomes
    got = dict(con.execute("select dossier_id, received_at from raw.dossier_records").fetchall())
    local = datetime(2023, 7, 1, 0, 30)
    assert got == {"A": local, "B": local, "C": local, "D": datetime(2023, 7, 1), "P": local}
    due = con.execute("select due_at from raw.dossier_records where dossier_id = 'A'").fetchall()
    assert due == [(datetime(2023, 7, 5, 17, 0),)]
    labels = con.execute("select file_name, period_labels from raw.file_manifest order by 1").fetchall()
    assert labels == [("ho_so_867.csv", ["2023-YTD-07-01"]), ("ho_so_867_utc.parquet", ["2023-YTD-07-01"])]


# --- aggregated forms: periods, as-of dates and counts (item 2) ---------------------------

SURVEY_HEAD = ["Mã đơn vị", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng"]


def _load_surveys(con, inbox, quarantine, rows: list[list[str]]) -> tuple:
    write_csv(inbox / "khao_sat.csv", [SURVEY_HEAD, *rows])
    register_inbox(con, inbox, quarantine, RUN)
    load_family(con, "surveys", quarantine, RUN)  # the loader puts the door's checks in force
    return _manifest(con)["khao_sat.csv"]


def test_period_year_9999_in_a_form_is_rejected(con, inbox, quarantine) -> None:
    status, _, error_row, error_column, en, vi = _load_surveys(
        con, inbox, quarantine, [["867", "Năm 2023", "10", "9"], ["866", "Năm 9999", "10", "9"]]
    )
    assert (status, error_row) == ("rejected", 3) and "Kỳ báo cáo" in (error_column or "")
    assert "01/01/9999" in en and date_window().shown in en and "khoảng ngày hợp lý" in vi
    assert con.execute("select count(*) from raw.surveys").fetchall()[0][0] == 0


def test_negative_count_in_a_form_is_rejected_with_row_and_column(con, inbox, quarantine) -> None:
    status, _, error_row, error_column, en, _ = _load_surveys(
        con, inbox, quarantine, [["867", "Năm 2023", "10", "9"], ["866", "Năm 2023", "-5", "0"]]
    )
    assert (status, error_row, error_column) == ("rejected", 3, "C (Số phiếu)")
    assert "negative" in en and "khao_sat.csv" in en


def test_absurd_count_in_a_form_is_rejected(con, inbox, quarantine) -> None:
    absurd = f"{MAX_COUNT + 1:,}".replace(",", ".")  # 100.000.001, Vietnamese grouping
    status, _, error_row, error_column, en, vi = _load_surveys(
        con, inbox, quarantine, [["867", "Năm 2023", absurd, "9"]]
    )
    assert (status, error_row, error_column) == ("rejected", 2, "C (Số phiếu)")
    assert "not a plausible count" in en and "100.000.000" in en and "số đếm hợp lý" in vi


def test_count_at_the_bound_loads(con, inbox, quarantine) -> None:
    status, rows, *_ = _load_surveys(con, inbox, quarantine, [["867", "Năm 2023", str(MAX_COUNT), "9"]])
    assert (status, rows) == ("loaded", 1)


def test_a_truncated_export_is_rejected_without_the_private_link_in_its_reason(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    rows = [HEADER] + [_row(f"HS-{i}", "03/07/2023 08:00", "10/07/2023 17:00") for i in range(2000)]
    whole = _gz(inbox / "tmp.csv.gz", rows).read_bytes()
    (inbox / "tmp.csv.gz").unlink()
    (inbox / "ho_so_cut.csv.gz").write_bytes(whole[: len(whole) // 2])
    _load(con, inbox, quarantine)
    status, _, _, _, message, _ = _manifest(con)["ho_so_cut.csv.gz"]
    assert status == "rejected" and "ho_so_cut.csv.gz" in message
    assert "parwh_records_" not in message and "records.csv.gz" not in message
