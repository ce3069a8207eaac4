"""Every rejection class: precise message with location, nothing of the file lands,
a quarantined copy with .error.txt, and a data-quality finding."""

from __future__ import annotations

import gzip
import re
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import load_family, register_inbox
from tests.ingest.conftest import write_csv, write_xlsx

RUN = "run-x"
GOOD = ["867", "Năm 2023", "100", "90"]
HEAD = ["Mã đơn vị", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng"]


def _load_all(con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path) -> list:
    outcomes = [o for o in register_inbox(con, inbox, quarantine, RUN) if o.status != "pending"]
    for family in ("dossiers", "dossier_records", "staff", "budget", "surveys"):
        outcomes += load_family(con, family, quarantine, RUN).outcomes
    return outcomes


def _raw_rows(con: duckdb.DuckDBPyConnection) -> int:
    tables = ["dossiers", "dossier_records", "staff", "budget", "surveys", "survey_responses"]
    return sum(con.execute(f"select count(*) from raw.{t}").fetchall()[0][0] for t in tables)


def _assert_rejected(
    con: duckdb.DuckDBPyConnection,
    inbox: Path,
    quarantine: Path,
    pattern: str,
    row: int | None = None,
    column: str | None = None,
) -> str:
    outcomes = _load_all(con, inbox, quarantine)
    rejected = [o for o in outcomes if o.status == "rejected"]
    assert len(rejected) == 1, outcomes
    message = rejected[0].message
    assert re.search(pattern, message), message
    assert rejected[0].message_vi and rejected[0].message_vi != message
    assert _raw_rows(con) == 0
    m = con.execute(
        "select status, error_row, error_column from raw.file_manifest where status <> 'duplicate'"
    ).fetchall()
    assert m[0][0] == "rejected"
    if row is not None:
        assert m[0][1] == row and f"row {row}" in message
    if column is not None:
        assert column in (m[0][2] or "")
    errors = list(quarantine.glob("*.error.txt"))
    assert len(errors) == 1
    text = errors[0].read_text(encoding="utf-8")
    assert "Error:" in text and "Lỗi:" in text
    findings = con.execute(
        "select rule, severity, source_file, message from marts.data_quality_findings"
    ).fetchall()
    assert [(f[0], f[1]) for f in findings] == [("file_rejected", "error")]
    return message


def test_empty_file(con, inbox, quarantine) -> None:
    (inbox / "empty.csv").write_bytes(b"")
    _assert_rejected(con, inbox, quarantine, "empty")


def test_header_without_rows_is_empty(con, inbox, quarantine) -> None:
    write_csv(inbox / "only_header.csv", [HEAD])
    _assert_rejected(con, inbox, quarantine, "no data rows")


def test_truncated_xlsx(con, inbox, quarantine, tmp_path) -> None:
    good = write_xlsx(tmp_path / "g.xlsx", {"S": [HEAD, GOOD]})
    (inbox / "truncated.xlsx").write_bytes(good.read_bytes()[:700])
    _assert_rejected(con, inbox, quarantine, "damaged|truncated")


def test_truncated_csv_gz(con, inbox, quarantine) -> None:
    body = "\n".join(
        ["dossier_id,unit_code,authority_level,channel,received_at"]
        + [f"HS-{i},867,huyen,online,2023-01-01 08:00:00" for i in range(20000)]
    ).encode()
    (inbox / "records.csv.gz").write_bytes(gzip.compress(body)[:5000])
    _assert_rejected(con, inbox, quarantine, "cannot be read|damaged|truncated")


def test_not_utf8(con, inbox, quarantine) -> None:
    (inbox / "latin.csv").write_bytes(";".join(HEAD).encode("cp1258", errors="replace") + b"\n")
    _assert_rejected(con, inbox, quarantine, "UTF-8")


def test_no_recognisable_header(con, inbox, quarantine) -> None:
    write_csv(inbox / "random.csv", [["a", "b", "c"], ["1", "2", "3"]])
    _assert_rejected(con, inbox, quarantine, "no recognisable header")


def test_unknown_unit_lists_candidates(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "s.csv",
        [
            ["Tên đơn vị", "Tỉnh", *HEAD[1:]],
            ["Sa Đéc", "Đồng Tháp", *GOOD[1:]],
            ["Nha Trangg", "Khánh Hòa", *GOOD[1:]],
        ],
    )
    message = _assert_rejected(
        con, inbox, quarantine, "unknown unit 'Nha Trangg'", row=3, column="A (Tên đơn vị)"
    )
    assert "L568" in message


def test_ambiguous_unit(con, inbox, quarantine) -> None:
    write_csv(inbox / "s.csv", [["Tên đơn vị", "Tỉnh", *HEAD[1:]], ["Cao Lãnh", "Đồng Tháp", *GOOD[1:]]])
    message = _assert_rejected(con, inbox, quarantine, "ambiguous", row=2)
    assert "L866" in message and "L873" in message


def test_unparsable_number(con, inbox, quarantine) -> None:
    write_csv(inbox / "s.csv", [HEAD, GOOD, ["866", "Năm 2023", "một trăm", "90"]])
    _assert_rejected(con, inbox, quarantine, "as a number", row=3, column="C (Số phiếu)")


def test_negative_count(con, inbox, quarantine) -> None:
    write_csv(inbox / "s.csv", [HEAD, ["866", "Năm 2023", "-5", "0"]])
    _assert_rejected(con, inbox, quarantine, "negative", row=2, column="C (Số phiếu)")


def test_unparsable_date(con, inbox, quarantine) -> None:
    write_xlsx(
        inbox / "staff.xlsx",
        {
            "Biên chế": [
                ["Mã đơn vị", "Ngày số liệu", "Loại", "Biên chế được giao", "Có mặt"],
                ["867", "32/13/2023", "Công chức", 10, 9],
            ]
        },
    )
    _assert_rejected(con, inbox, quarantine, "as a date", row=2, column="B (Ngày số liệu)")


def test_period_cannot_be_determined(con, inbox, quarantine) -> None:
    write_csv(inbox / "khaosat.csv", [["Mã đơn vị", "Số phiếu", "Số phiếu hài lòng"], ["867", "100", "90"]])
    _assert_rejected(con, inbox, quarantine, "period cannot be determined", row=2)


def test_duplicate_rows_within_file(con, inbox, quarantine) -> None:
    write_csv(inbox / "s.csv", [HEAD, GOOD, ["866", "Năm 2023", "1", "1"], GOOD])
    _assert_rejected(con, inbox, quarantine, "duplicate row: rows 2 and 4", row=4)


def test_records_unknown_unit_code(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "r.csv",
        [
            ["dossier_id", "unit_code", "authority_level", "channel", "received_at"],
            ["A", "867", "huyen", "online", "2023-01-01 08:00"],
            ["B", "99999", "xa", "online", "2023-01-01 08:00"],
        ],
    )
    _assert_rejected(con, inbox, quarantine, "unknown unit code '99999'", row=3, column="B (unit_code)")


def test_records_bad_timestamp(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "r.csv",
        [
            ["dossier_id", "unit_code", "authority_level", "channel", "received_at"],
            ["A", "867", "huyen", "online", "2023-01-01 08:00"],
            ["B", "867", "huyen", "online", "hôm qua"],
        ],
    )
    _assert_rejected(con, inbox, quarantine, "timestamp", row=3, column="E (received_at)")


def test_records_duplicate_id(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "r.csv",
        [
            ["dossier_id", "unit_code", "authority_level", "channel", "received_at"],
            ["A", "867", "huyen", "online", "2023-01-01 08:00"],
            ["A", "867", "huyen", "online", "2023-01-02 08:00"],
        ],
    )
    _assert_rejected(con, inbox, quarantine, "duplicate dossier_id 'A'", row=3)


def test_records_unknown_channel(con, inbox, quarantine) -> None:
    write_csv(
        inbox / "r.csv",
        [
            ["dossier_id", "unit_code", "authority_level", "channel", "received_at"],
            ["A", "867", "huyen", "fax", "2023-01-01 08:00"],
        ],
    )
    _assert_rejected(con, inbox, quarantine, "unknown channel value 'fax'", row=2)


def test_bad_file_does_not_stop_others(con, inbox, quarantine) -> None:
    write_csv(inbox / "a_good.csv", [HEAD, GOOD])
    write_csv(inbox / "b_bad.csv", [HEAD, GOOD, ["866", "Năm 2023", "x", "1"]])
    report = (
        load_family(con, "surveys", quarantine, RUN) if register_inbox(con, inbox, quarantine, RUN) else None
    )
    assert report is not None
    assert (report.files_loaded, report.files_rejected, report.rows_loaded) == (1, 1, 1)


@pytest.mark.parametrize(
    "name", ["evil'; DROP TABLE raw.surveys; --.csv", "x..%2F..%2Fetc.csv", '"quoted".csv']
)
def test_hostile_names_are_harmless(con, inbox, quarantine, name: str) -> None:
    sub = inbox / ".." / "inbox" / "sub"
    sub.mkdir(parents=True, exist_ok=True)
    write_csv(sub / name, [HEAD, ["99999", "Năm 2023", "1", "1"]])
    _load_all(con, inbox, quarantine)
    files = list(quarantine.iterdir())
    assert len(files) == 2
    for f in files:
        assert f.parent == quarantine
        assert re.fullmatch(r"[0-9a-f]{12}_[A-Za-z0-9._-]+", f.name), f.name
    assert con.execute("select count(*) from raw.surveys").fetchall()[0][0] == 0
    name_in_db = con.execute("select file_name from raw.file_manifest").fetchall()[0][0]
    assert name_in_db == f"sub/{name}"


def test_rejected_survey_is_quarantined_without_personal_data(con, inbox, quarantine) -> None:
    write_xlsx(
        inbox / "phieu.xlsx",
        {
            "Phiếu": [
                [
                    "Mã phiếu",
                    "Họ tên",
                    "SĐT",
                    "Địa chỉ",
                    "Email",
                    "CCCD",
                    "Mã đơn vị",
                    "Ngày khảo sát",
                    "Câu 1 - Tiếp cận dịch vụ",
                    "Câu 5 - Hài lòng chung",
                ],
                [
                    "P1",
                    "Lê Văn Bí Mật",
                    "0900000001",
                    "12 Nguyễn Huệ",
                    "a@b.vn",
                    "079000000001",
                    "867",
                    "01/03/2023",
                    4,
                    9,
                ],
            ]
        },
    )
    message = _assert_rejected(con, inbox, quarantine, "outside the 1–5 scale", row=2)
    copies = [f for f in quarantine.iterdir() if not f.name.endswith(".error.txt")]
    assert len(copies) == 1
    from openpyxl import load_workbook

    wb = load_workbook(copies[0], read_only=True)
    dump = str([list(r) for ws in wb.worksheets for r in ws.iter_rows(values_only=True)])
    wb.close()
    for secret in ("Bí Mật", "0900000001", "Nguyễn Huệ", "a@b.vn", "079000000001", "Họ tên"):
        assert secret not in dump
        assert secret not in message
    assert "P1" in dump
    everything = str(con.execute("select * from raw.file_manifest").fetchall())
    everything += str(con.execute("select * from marts.data_quality_findings").fetchall())
    everything += "".join(f.read_text(encoding="utf-8") for f in quarantine.glob("*.txt"))
    for secret in ("Bí Mật", "0900000001", "079000000001"):
        assert secret not in everything


@pytest.mark.parametrize(
    "name", ["../../etc/passwd", "..\\..\\win.ini", "a\";b'.csv", "", "...", "Báo cáo quý 3.xlsx"]
)
def test_safe_name(name: str) -> None:
    from ingest.quarantine import safe_name

    safe = safe_name(name, "ab" * 32)
    assert re.fullmatch(r"abababababab_[A-Za-z0-9._-]+", safe), safe
    assert "/" not in safe and "\\" not in safe and ".." not in safe.split("_", 1)[1][:2]
