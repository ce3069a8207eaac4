"""Hostile names and same-night versions at the inbox door (issue 15, item 7 and "Isolation
of names"): names with any bytes, control characters or glob characters, hidden and lock
files, two versions of one submission in one night, and a file that kills the process."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from ingest.inbox import MAX_LOAD_ATTEMPTS, load_family, register_inbox
from ingest.text import printable_name
from tests.ingest.conftest import write_csv, write_xlsx

RUN = "run-h"
SURVEY_HEADER = ["Mã đơn vị", "Kỳ báo cáo", "Số phiếu", "Số phiếu hài lòng"]


def _bytes_path(directory: Path, name: bytes, content: bytes) -> None:
    """Create a file whose name is raw bytes (not necessarily UTF-8)."""
    fd = os.open(os.fsencode(directory) + b"/" + name, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
    try:
        os.write(fd, content)
    finally:
        os.close(fd)


def _manifest(con: duckdb.DuckDBPyConnection) -> dict[str, tuple]:
    return {
        r[0]: r[1:]
        for r in con.execute(
            "select file_name, status, row_count, message, message_vi, file_path from raw.file_manifest"
        ).fetchall()
    }


def _survey_rows_by_file(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple]]:
    found: dict[str, list[tuple]] = {}
    for name, unit, forms, satisfied in con.execute(
        "select m.file_name, s.unit_code, s.forms, s.satisfied_forms from raw.surveys s"
        " join raw.file_manifest m on m.file_id = s.file_id and m.source_family = 'surveys'"
        " order by m.file_name, s.source_row"
    ).fetchall():
        found.setdefault(name, []).append((unit, forms, satisfied))
    return found


def test_printable_name_escapes_bytes_and_control_characters_only() -> None:
    assert printable_name(b"bao_cao_\xff\xfe.xlsx") == "bao_cao_\\xff\\xfe.xlsx"
    assert printable_name("a\nb\r\tc\x1b[31m\u202etxt.exe") == "a\\nb\\r\\tc\\x1b[31m\\u202etxt.exe"
    assert printable_name("Báo cáo tháng 7 (bản 2).xlsx") == "Báo cáo tháng 7 (bản 2).xlsx"
    assert printable_name("ho_so_*?[1].csv") == "ho_so_*?[1].csv"


def test_non_utf8_names_are_handled_one_file_at_a_time(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    survey = "\n".join([",".join(SURVEY_HEADER), "866,2022,100,91"]).encode("utf-8")
    _bytes_path(inbox, b"khao_sat_\xff\xfe.csv", survey)
    records = (
        "Mã hồ sơ,Mã đơn vị,Kênh,Ngày tiếp nhận,Ngày hẹn trả\nHS-1,867,1,2023-08-25 08:05,2023-08-30 17:00\n"
    )
    _bytes_path(inbox, b"ho_so_\xe9t\xe9.csv", records.encode("utf-8"))
    write_csv(inbox / "khao_sat_2023.csv", [SURVEY_HEADER, ["866", "2023", "200", "150"]])

    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert sorted((o.file_name, o.status) for o in outcomes) == [
        ("ho_so_\\xe9t\\xe9.csv", "pending"),
        ("khao_sat_2023.csv", "pending"),
        ("khao_sat_\\xff\\xfe.csv", "pending"),
    ]
    surveys = load_family(con, "surveys", quarantine, RUN)
    records = load_family(con, "dossier_records", quarantine, RUN)
    assert (surveys.files_loaded, surveys.files_rejected) == (2, 0), surveys.outcomes
    assert _survey_rows_by_file(con) == {
        "khao_sat_\\xff\\xfe.csv": [("L866", 100, 91)],
        "khao_sat_2023.csv": [("L866", 200, 150)],
    }
    m = _manifest(con)
    # the real path is kept (its bytes, base64) so the file can be read; the name is printable
    assert m["khao_sat_\\xff\\xfe.csv"][4].startswith("b64:")
    assert m["khao_sat_2023.csv"][4] == str((inbox / "khao_sat_2023.csv").resolve())
    # a record export reaches DuckDB through a link with a plain name: loaded like the others
    assert (records.files_loaded, records.files_rejected) == (1, 0), records.outcomes
    assert m["ho_so_\\xe9t\\xe9.csv"][0] == "loaded"
    assert con.execute("select dossier_id from raw.dossier_records").fetchall() == [("HS-1",)]
    # the next night has nothing new and does not fail
    assert register_inbox(con, inbox, quarantine, "run-2") == []


def test_control_characters_in_a_name_are_stored_and_shown_escaped(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    forged = "bao_cao\nRejected files: 0\x1b[2K\r.csv"
    (inbox / forged).write_text("hello;world\n1;2\n", encoding="utf-8")
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    shown = "bao_cao\\nRejected files: 0\\x1b[2K\\r.csv"
    assert [(o.file_name, o.status) for o in outcomes] == [(shown, "rejected")]
    assert shown in outcomes[0].message
    assert "\n" not in outcomes[0].message and "\x1b" not in outcomes[0].message_vi
    ((source_file, message),) = con.execute(
        "select source_file, message from marts.data_quality_findings where rule = 'file_rejected'"
    ).fetchall()
    assert source_file == shown and "\n" not in message and "\r" not in message
    (error_txt,) = quarantine.glob("*.error.txt")
    lines = error_txt.read_text(encoding="utf-8").splitlines()
    assert lines[0] == f"Tệp / File: {shown}"
    assert not any(line.startswith("Rejected files") for line in lines)  # no line forged by the name
    assert "\x1b" not in error_txt.read_text(encoding="utf-8")
    assert (inbox / forged).read_text(encoding="utf-8").startswith("hello")  # inbox untouched


def test_glob_characters_in_names_load_each_file_as_itself(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    figures = {
        "khao_sat_*.csv": ("2020", "10", "1"),
        "khao_sat_?.csv": ("2021", "20", "2"),
        "khao_sat_[1].csv": ("2022", "30", "3"),
        "khao_sat_1.csv": ("2023", "40", "4"),
    }
    for name, (year, forms, satisfied) in figures.items():
        write_csv(inbox / name, [SURVEY_HEADER, ["866", year, forms, satisfied]])
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "surveys", quarantine, RUN)
    assert (report.files_loaded, report.files_rejected) == (4, 0), report.outcomes
    assert _survey_rows_by_file(con) == {
        name: [("L866", int(forms), int(satisfied))] for name, (_, forms, satisfied) in figures.items()
    }


def test_hidden_and_lock_files_are_listed_once_as_skipped_not_as_errors(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(inbox / "khao_sat.csv", [SURVEY_HEADER, ["866", "2023", "100", "90"]])
    (inbox / "~$bao_cao.xlsx").write_bytes(b"\x0bsomeone    ")
    write_csv(inbox / ".khao_sat_an.csv", [SURVEY_HEADER, ["867", "2023", "5", "5"]])
    (inbox / ".Trash").mkdir()
    write_csv(inbox / ".Trash" / "cu.csv", [SURVEY_HEADER, ["867", "2023", "6", "6"]])

    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert sorted((o.file_name, o.status) for o in outcomes) == [
        (".Trash/cu.csv", "skipped"),
        (".khao_sat_an.csv", "skipped"),
        ("khao_sat.csv", "pending"),
        ("~$bao_cao.xlsx", "skipped"),
    ]
    m = _manifest(con)
    assert m["~$bao_cao.xlsx"][2].startswith("skipped: Office lock file")
    assert m["~$bao_cao.xlsx"][3].startswith("bỏ qua: tệp khóa của Office")
    assert m[".khao_sat_an.csv"][2].startswith("skipped: hidden file")
    assert m[".Trash/cu.csv"][2].startswith("skipped: hidden file")
    # noise, not errors: no finding, nothing quarantined, nothing of theirs loaded
    assert con.execute("select count(*) from marts.data_quality_findings").fetchone() == (0,)
    assert not quarantine.exists() or not any(quarantine.iterdir())
    assert load_family(con, "surveys", quarantine, RUN).files_loaded == 1
    assert con.execute("select unit_code from raw.surveys").fetchall() == [("L866",)]
    # registered once, even when the lock file is rewritten (the workbook saved again)
    (inbox / "~$bao_cao.xlsx").write_bytes(b"\x0banother user")
    assert register_inbox(con, inbox, quarantine, "run-2") == []
    assert con.execute("select count(*) from raw.file_manifest where status = 'skipped'").fetchone() == (3,)


def _dated_survey(path: Path, signed: str | None, forms: int, satisfied: int) -> None:
    title = [["UBND THÀNH PHỐ CAO LÃNH"], ["Kỳ báo cáo: Năm 2023"]]
    if signed:
        title.append([None, None, f"Cao Lãnh, ngày {signed}"])
    write_xlsx(
        path,
        {"Khảo sát": [*title, [], ["STT", *SURVEY_HEADER], [1, "866", "2023", forms, satisfied]]},
    )


def _set_mtime(path: Path, moment: datetime) -> None:
    os.utime(path, (moment.timestamp(), moment.timestamp()))


def _latest_version(con: duckdb.DuckDBPyConnection) -> tuple:
    """What dbt keeps of a unit and period (int_survey_results_unioned: the rows of the file
    loaded last, loaded_at desc then file_id desc)."""
    return con.execute(
        "select forms, satisfied_forms from raw.surveys where unit_code = 'L866'"
        " order by loaded_at desc, file_id desc limit 1"
    ).fetchone()  # type: ignore[return-value]


def test_same_night_versions_the_later_dated_wins_whatever_the_names(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    _dated_survey(inbox / "a_ban_moi.xlsx", "20 tháng 7 năm 2023", 120, 110)
    _dated_survey(inbox / "z_ban_cu.xlsx", "05/7/2023", 100, 80)
    # the later version arrived first (copied from a USB stick before the old one)
    _set_mtime(inbox / "a_ban_moi.xlsx", datetime(2023, 7, 21, 9, 0))
    _set_mtime(inbox / "z_ban_cu.xlsx", datetime(2023, 7, 22, 9, 0))
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "surveys", quarantine, RUN)
    assert [o.file_name for o in report.outcomes] == ["z_ban_cu.xlsx", "a_ban_moi.xlsx"]
    assert _latest_version(con) == (120, 110)
    m = _manifest(con)
    assert m["a_ban_moi.xlsx"][0] == "loaded"
    assert (
        "a_ban_moi.xlsx thay thế z_ban_cu.xlsx: cùng đơn vị, cùng kỳ, nộp sau (ngày 20/07/2023"
        in (m["a_ban_moi.xlsx"][3])
    )
    assert "z_ban_cu.xlsx: ngày 05/07/2023" in m["a_ban_moi.xlsx"][3]
    assert "replaces z_ban_cu.xlsx" in m["a_ban_moi.xlsx"][2]
    assert "replaces" not in m["z_ban_cu.xlsx"][2]
    findings = con.execute(
        "select rule, severity, unit_code, period_label, source_file, message_vi"
        " from marts.data_quality_findings"
    ).fetchall()
    assert len(findings) == 1
    assert findings[0][:5] == ("same_night_version_replaced", "warn", "L866", "2023", "a_ban_moi.xlsx")
    assert findings[0][5].startswith("a_ban_moi.xlsx thay thế z_ban_cu.xlsx")
    dates = dict(con.execute("select file_name, submitted_on from raw.file_manifest").fetchall())
    assert {k: str(v) for k, v in dates.items()} == {
        "a_ban_moi.xlsx": "2023-07-20",
        "z_ban_cu.xlsx": "2023-07-05",
    }


def test_same_night_versions_without_a_date_the_later_arrival_wins(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(inbox / "a.csv", [SURVEY_HEADER, ["866", "2023", "100", "95"]])
    write_csv(inbox / "b.csv", [SURVEY_HEADER, ["866", "2023", "100", "70"]])
    write_csv(inbox / "c.csv", [SURVEY_HEADER, ["867", "2023", "50", "40"]])  # another unit
    _set_mtime(inbox / "a.csv", datetime(2023, 7, 21, 16, 30))
    _set_mtime(inbox / "b.csv", datetime(2023, 7, 21, 8, 15))
    register_inbox(con, inbox, quarantine, RUN)
    report = load_family(con, "surveys", quarantine, RUN)
    assert report.files_loaded == 3
    assert [o.file_name for o in report.outcomes][:2] == ["b.csv", "a.csv"]
    assert _latest_version(con) == (100, 95)
    m = _manifest(con)
    assert "a.csv thay thế b.csv: cùng đơn vị, cùng kỳ, nộp sau (tệp không ghi ngày, đến lúc" in m["a.csv"][3]
    assert "replaces" not in m["b.csv"][2] and "replaces" not in m["c.csv"][2]
    assert con.execute(
        "select source_file, unit_code from marts.data_quality_findings"
        " where rule = 'same_night_version_replaced'"
    ).fetchall() == [("a.csv", "L866")]


def test_links_and_pipes_are_listed_as_skipped_never_followed_or_opened(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path, tmp_path: Path
) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write_csv(outside / "bi_mat.csv", [SURVEY_HEADER, ["867", "2023", "7", "7"]])
    os.symlink(outside / "bi_mat.csv", inbox / "lien_ket.csv")
    os.symlink(outside, inbox / "thu_muc_ngoai")
    os.mkfifo(inbox / "ong.csv")  # opening it would block the night
    write_csv(inbox / "khao_sat.csv", [SURVEY_HEADER, ["866", "2023", "100", "90"]])
    outcomes = register_inbox(con, inbox, quarantine, RUN)
    assert sorted((o.file_name, o.status) for o in outcomes) == [
        ("khao_sat.csv", "pending"),
        ("lien_ket.csv", "skipped"),
        ("ong.csv", "skipped"),
        ("thu_muc_ngoai", "skipped"),
    ]
    m = _manifest(con)
    assert m["lien_ket.csv"][2].startswith("skipped: a symbolic link")
    assert m["thu_muc_ngoai"][3].startswith("bỏ qua: liên kết tượng trưng")
    assert m["ong.csv"][2].startswith("skipped: not a regular file")
    assert load_family(con, "surveys", quarantine, RUN).files_loaded == 1
    assert con.execute("select unit_code from raw.surveys").fetchall() == [("L866",)]
    assert register_inbox(con, inbox, quarantine, "run-2") == []


def test_files_that_add_up_are_not_versions_of_each_other(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    """Two record exports of one unit and month add up (a dossier sent twice is replaced one
    by one in dbt): no "replaces" warning between them. Whole submissions name the unit."""
    head = "Mã hồ sơ,Mã đơn vị,Kênh,Ngày tiếp nhận,Ngày hẹn trả\n"
    (inbox / "ho_so_1.csv").write_text(head + "HS-1,867,1,2023-08-02 08:00,2023-08-09 17:00\n", "utf-8")
    (inbox / "ho_so_2.csv").write_text(head + "HS-2,867,1,2023-08-03 08:00,2023-08-10 17:00\n", "utf-8")
    write_csv(inbox / "a.csv", [SURVEY_HEADER, ["866", "2023", "100", "95"]])
    write_csv(inbox / "b.csv", [SURVEY_HEADER, ["866", "2023", "100", "70"]])
    register_inbox(con, inbox, quarantine, RUN)
    assert load_family(con, "dossier_records", quarantine, RUN).files_loaded == 2
    assert load_family(con, "surveys", quarantine, RUN).files_loaded == 2
    findings = con.execute(
        "select source_file, message_vi from marts.data_quality_findings"
        " where rule = 'same_night_version_replaced'"
    ).fetchall()
    assert [f[0] for f in findings] in (["a.csv"], ["b.csv"])
    assert "đơn vị Thành phố Cao Lãnh (L866), kỳ 2023" in findings[0][1]


def test_a_file_with_two_attempts_is_rejected_not_loaded_again(
    con: duckdb.DuckDBPyConnection, inbox: Path, quarantine: Path
) -> None:
    write_csv(inbox / "khao_sat_nang.csv", [SURVEY_HEADER, ["866", "2023", "100", "90"]])
    write_csv(inbox / "khao_sat.csv", [SURVEY_HEADER, ["867", "2023", "10", "9"]])
    register_inbox(con, inbox, quarantine, RUN)
    con.execute(
        "update raw.file_manifest set load_attempts = ? where file_name = 'khao_sat_nang.csv'",
        [MAX_LOAD_ATTEMPTS],
    )
    report = load_family(con, "surveys", quarantine, RUN)
    assert (report.files_loaded, report.files_rejected) == (1, 1)
    m = _manifest(con)
    assert m["khao_sat_nang.csv"][:2] == ("rejected", 0)
    assert "tệp này đã làm dừng 2 lần chạy" in m["khao_sat_nang.csv"][3]
    assert "stopped 2 runs" in m["khao_sat_nang.csv"][2]
    assert con.execute("select unit_code from raw.surveys").fetchall() == [("L867",)]
    (error_txt,) = quarantine.glob("*.error.txt")
    assert "khao_sat_nang.csv" in error_txt.read_text(encoding="utf-8")
    assert con.execute(
        "select source_file from marts.data_quality_findings where rule = 'file_rejected'"
    ).fetchall() == [("khao_sat_nang.csv",)]
    # the file loaded took one attempt, committed
    assert con.execute(
        "select load_attempts from raw.file_manifest where file_name = 'khao_sat.csv'"
    ).fetchone() == (1,)


CRASHING_LOAD = textwrap.dedent(
    """
    import os, sys
    import duckdb
    import ingest.inbox as inbox

    def die(*args, **kwargs):  # what the kernel's OOM killer does mid-read
        os._exit(137)

    inbox.read_sheets = die
    con = duckdb.connect(sys.argv[1])
    inbox.load_family(con, "surveys", sys.argv[2], sys.argv[3])
    """
)


@pytest.mark.parametrize("deaths", [1, MAX_LOAD_ATTEMPTS])
def test_a_file_that_kills_the_process_stops_at_most_two_nights(
    template_db: Path, tmp_path: Path, inbox: Path, quarantine: Path, deaths: int
) -> None:
    database = tmp_path / "warehouse.duckdb"
    shutil.copyfile(template_db, database)
    write_csv(inbox / "khao_sat.csv", [SURVEY_HEADER, ["866", "2023", "100", "90"]])
    con = duckdb.connect(str(database))
    register_inbox(con, inbox, quarantine, "night-1")
    con.close()
    for night in range(deaths):
        done = subprocess.run(
            [sys.executable, "-c", CRASHING_LOAD, str(database), str(quarantine), f"night-{night + 1}"],
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            timeout=300,
        )
        assert done.returncode == 137, done.stderr.decode()[-2000:]
    con = duckdb.connect(str(database))
    try:
        assert con.execute("select status, load_attempts from raw.file_manifest").fetchall() == [
            ("pending", deaths)
        ]
        assert con.execute("select count(*) from raw.surveys").fetchone() == (0,)
        report = load_family(con, "surveys", quarantine, "night-after")
        if deaths < MAX_LOAD_ATTEMPTS:  # one death may be bad luck: tried again, and it loads
            assert report.files_loaded == 1
        else:  # the night after the second death goes on without it
            assert report.files_rejected == 1
            assert "đã làm dừng 2 lần chạy" in report.outcomes[0].message_vi
            assert con.execute("select count(*) from raw.surveys").fetchone() == (0,)
    finally:
        con.close()
