"""Alerts reach a real HTTP server on 127.0.0.1 as JSON, the log file and a real SMTP
server; a run that did not evaluate the checks changes no findings history; file names
cannot forge lines."""

from __future__ import annotations

import json
import socket
import threading
from email import message_from_bytes, policy
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb
from aiosmtpd.controller import Controller

from expectations.history import record_finding_history
from expectations.store import Finding, append_findings, ensure_result_tables
from night.alerts import compose_alert, deliver
from night.summary import CheckLine, FileLine, RunSummary, escape_control


def _database_with_findings(path: Path) -> Path:
    con = duckdb.connect(str(path))
    con.execute("create schema marts")
    con.execute(
        "create table marts.data_quality_findings(run_id varchar, rule varchar, severity varchar, "
        "unit_code varchar, period_label varchar, source_file varchar, source_row bigint, "
        "message varchar, message_vi varchar, found_at timestamp)"
    )
    con.execute(
        "insert into marts.data_quality_findings values "
        "('r1', 'stated_total_matches_parts', 'warn', null, null, 'bien_che.xlsx', 12, "
        "'Stated total 733 but the parts add up to 732', 'Tổng 733 nhưng cộng các dòng được 732', now()), "
        "('r1', 'file_rejected', 'error', null, null, 'tthc_sa_dec.xlsx', 7, "
        "'unknown unit Thành phố Sa Đét', 'không tìm thấy đơn vị', now()), "
        "('r0', 'stated_total_matches_parts', 'warn', null, null, 'old.xlsx', 1, 'old run', 'cũ', now())"
    )
    record_finding_history(con, "r1")  # the gate of run r1 (assets/publish.py)
    con.close()
    return path


def _summary() -> RunSummary:
    return RunSummary(
        run_id="r1",
        run_succeeded=True,
        files=[
            FileLine("tthc.xlsx", "dossiers", "loaded", 10, None),
            FileLine("tthc_sa_dec.xlsx", None, "rejected", 0, "unknown unit"),
        ],
        checks=[CheckLine("marts/fct_staffing", "gx_fct_staffing", False, "warn")],
        published_path=Path("/w/published/latest.duckdb"),
        findings_by_severity={"warn": 1, "error": 1},
    )


def test_alert_lists_worst_items_first_and_only_this_run(tmp_path: Path) -> None:
    database = _database_with_findings(tmp_path / "w.duckdb")
    alert = compose_alert(_summary(), database)
    assert alert.status == "published"
    assert alert.counts["files_rejected"] == 1
    assert [item["rule"] for item in alert.worst_items] == [
        "file_rejected",
        "stated_total_matches_parts",
    ]
    assert "733" in alert.text and "old run" not in alert.text


def test_alert_goes_to_log_and_webhook(tmp_path: Path) -> None:
    received: list[dict] = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            length = int(self.headers["Content-Length"])
            received.append(json.loads(self.rfile.read(length)))
            self.send_response(204)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.handle_request, daemon=True)
    thread.start()
    database = _database_with_findings(tmp_path / "w.duckdb")
    alert = compose_alert(_summary(), database)
    url = f"http://127.0.0.1:{server.server_address[1]}/hook"
    channels = deliver(alert, tmp_path, env={"PARWH_ALERT_WEBHOOK_URL": url})
    thread.join(timeout=10)
    server.server_close()
    assert channels == ["log", "webhook"]
    assert received[0]["run_id"] == "r1"
    assert received[0]["counts"]["findings_error"] == 1
    assert "Sa Đét" in received[0]["text"]
    assert "733" in (tmp_path / "alerts.log").read_text(encoding="utf-8")


def test_unreachable_webhook_does_not_fail_the_run(tmp_path: Path) -> None:
    alert = compose_alert(_summary(), _database_with_findings(tmp_path / "w.duckdb"))
    channels = deliver(alert, tmp_path, env={"PARWH_ALERT_WEBHOOK_URL": "http://127.0.0.1:9/none"})
    assert channels == ["log"]


OPEN = Finding(
    "unit_submitted_every_family", "warn", "L868", "2023", None, None, "no staff data", "chưa nộp", "k"
)
REJECTED = Finding("file_rejected", "error", None, None, "ql.xlsx", 4, "unknown unit", "không rõ", None)
TOTAL = Finding("stated_total_matches_parts", "warn", None, None, "b.xlsx", 12, "733 vs 732", "733", "q")


def _history(database: Path) -> list[tuple]:
    con = duckdb.connect(str(database), read_only=True)
    try:
        return (
            con.execute("select * from audit.finding_status order by fingerprint").fetchall()
            + con.execute("select * from audit.finding_history_runs order by run_id").fetchall()
        )
    finally:
        con.close()


def test_a_run_that_did_not_evaluate_the_checks_changes_no_history(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    ensure_result_tables(con)
    append_findings(con, "n1", [OPEN, REJECTED, TOTAL])
    record_finding_history(con, "n1")
    # n2 failed in dbt: only the raw checks wrote findings (TOTAL among them), no gate
    append_findings(con, "n2", [TOTAL])
    con.close()
    before = _history(database)
    failed = RunSummary(run_id="n2", run_succeeded=False, findings_by_severity={"warn": 1})
    alert = compose_alert(failed, database)
    assert alert.status == "failed"
    assert _history(database) == before  # nothing resolved, nothing new
    # the findings open as of n1, all reported as still open (not "none", not resolved)
    assert alert.counts["findings_open"] == 3
    assert alert.counts["findings_new"] == 0 and alert.counts["findings_resolved"] == 0
    assert "findings history is unchanged" in alert.text and "run n1" in alert.text
    lines = [line for line in alert.text.splitlines() if line.startswith("- ")]
    assert len(lines) == 3 and all("still open (open since" in line for line in lines)
    assert lines[0].startswith("- error still open") and "ql.xlsx" in lines[0]  # errors first

    # the next night that evaluates the checks: n1's findings still open since n1
    con = duckdb.connect(str(database))
    append_findings(con, "n3", [OPEN, TOTAL])
    counts = record_finding_history(con, "n3")
    first_seen = con.execute(
        "select rule, first_seen_run from audit.finding_status where resolved_at is null order by rule"
    ).fetchall()
    con.close()
    assert (counts.new, counts.open, counts.resolved) == (0, 3, 0)  # ql.xlsx: sticky, still open
    assert first_seen == [
        ("file_rejected", "n1"),
        ("stated_total_matches_parts", "n1"),
        ("unit_submitted_every_family", "n1"),
    ]


def test_a_file_rejected_by_a_failed_run_enters_the_history_at_the_next_checked_run(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    ensure_result_tables(con)
    append_findings(con, "n1", [OPEN])
    record_finding_history(con, "n1")
    append_findings(con, "n2", [REJECTED])  # rejected once by ingest, then the run failed
    append_findings(con, "n3", [OPEN])
    first = record_finding_history(con, "n3")
    append_findings(con, "n4", [OPEN])
    second = record_finding_history(con, "n4")
    statuses = con.execute(
        "select run_id, rule, status from marts.data_quality_finding_status"
        " where rule = 'file_rejected' order by run_id"
    ).fetchall()
    con.close()
    assert (first.new, first.open) == (1, 1) and (second.new, second.open) == (0, 2)
    assert statuses == [("n3", "file_rejected", "new"), ("n4", "file_rejected", "open")]


HOSTILE = "a\nFAKE: all clear.xlsx"


def test_control_characters_are_escaped() -> None:
    assert escape_control("a\nb\rc\td") == "a\\nb\\rc\\td"
    assert escape_control("\x1b[31mred\x7f\x85") == "\\x1b[31mred\\x7f\\x85"
    assert escape_control("x\u2028y\u2029z") == "x\\u2028y\\u2029z"
    assert escape_control("\u202egpj.exe \u2066\u200f") == "\\u202egpj.exe \\u2066\\u200f"
    assert escape_control("Hồ sơ TTHC — Đồng Tháp (1).xlsx") == "Hồ sơ TTHC — Đồng Tháp (1).xlsx"
    assert escape_control(None) == ""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class _Mailbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.messages.append(envelope.content)
        return "250 OK"


def test_a_file_name_cannot_forge_a_line_of_the_log_or_the_email(tmp_path: Path) -> None:
    database = tmp_path / "w.duckdb"
    con = duckdb.connect(str(database))
    ensure_result_tables(con)
    hostile = Finding("file_rejected", "error", None, None, HOSTILE, 1, f"bad {HOSTILE}\r\u2028x", "x", None)
    append_findings(con, "r1", [hostile])
    record_finding_history(con, "r1")
    con.close()
    summary = RunSummary(
        run_id="r1",
        run_succeeded=True,
        files=[FileLine(HOSTILE, None, "rejected", 0, f"cannot read {HOSTILE}")],
        published_path=Path("/w/published/latest.duckdb"),
        findings_by_severity={"error": 1},
    )
    alert = compose_alert(summary, database, notes=[f"the night of {HOSTILE} did not finish"])
    mailbox = _Mailbox()
    smtp = Controller(mailbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        env = {
            "PARWH_ALERT_SMTP_HOST": "127.0.0.1",
            "PARWH_ALERT_SMTP_PORT": str(smtp.port),
            "PARWH_ALERT_EMAIL_FROM": "parwh@so-noi-vu.example",
            "PARWH_ALERT_EMAIL_TO": "analysts@so-noi-vu.example",
        }
        assert deliver(alert, tmp_path, env=env) == ["log", "email"]
    finally:
        smtp.stop()
    log = (tmp_path / "alerts.log").read_text(encoding="utf-8")
    mail = message_from_bytes(mailbox.messages[0], policy=policy.default)
    body = mail.get_content().replace("\r\n", "\n")  # SMTP's line ends
    for text in (log, body, alert.text):
        assert not any(line.startswith("FAKE") for line in text.splitlines())
        assert "\u2028" not in text and "\r" not in text
        assert "a\\nFAKE: all clear.xlsx" in text
    assert "\n" not in mail["Subject"] and "after a night that did not finish" in mail["Subject"]
    assert "the night of a\\nFAKE: all clear.xlsx did not finish" in body


def test_hidden_and_lock_files_are_counted_not_reported_as_findings(tmp_path: Path) -> None:
    database = _database_with_findings(tmp_path / "w.duckdb")
    summary = _summary()
    summary.files.append(FileLine("~$bien_che.xlsx", None, "skipped", 0, "skipped: Office lock file"))
    alert = compose_alert(summary, database)
    assert alert.counts["files_skipped"] == 1 and alert.counts["files_rejected"] == 1
    assert "1 tệp ẩn hoặc tệp khóa của Office không được đọc" in alert.text
    assert "~$bien_che.xlsx" not in alert.text  # counted, not listed: no noise
    assert "không được đọc" not in compose_alert(_summary(), database).text


def test_a_night_that_did_not_publish_says_since_when(tmp_path: Path) -> None:
    database = _database_with_findings(tmp_path / "w.duckdb")
    since = "Nothing published since 2026-11-30T01:02:03+00:00 (run abcd1234)"
    alert = compose_alert(_summary(), database, unpublished_since=since)
    assert since in alert.text.splitlines()
    assert "Nothing published since" not in compose_alert(_summary(), database).text


def _ranked_warehouse(path: Path) -> Path:
    """Units, the 2023 ranking of Đồng Tháp's districts, a staff table's rows, and findings
    of every kind (run r1, recorded by its gate)."""
    con = duckdb.connect(str(path))
    ensure_result_tables(con)
    con.execute(
        "create table marts.dim_admin_units(unit_code varchar, unit_name varchar, unit_kind varchar,"
        " parent_code varchar, province_code varchar)"
    )
    con.execute(
        "insert into marts.dim_admin_units values ('L87', 'Tỉnh Đồng Tháp', 'province', null, null),"
        " ('L866', 'Thành phố Cao Lãnh', 'district', 'L87', 'L87'),"
        " ('L875', 'Huyện Lấp Vò', 'district', 'L87', 'L87'),"
        " ('L30001', 'Phường 1', 'commune', 'L866', 'L87'),"
        " ('L56', 'Tỉnh Khánh Hòa', 'province', null, null),"
        " ('L22408', 'Xã Cam Tân', 'commune', 'L570', 'L56')"
    )
    con.execute(
        "create table marts.rankings(unit_code varchar, period_label varchar, period_kind varchar,"
        " rank bigint)"
    )
    con.execute(
        "insert into marts.rankings values ('L866', '2023', 'year', 1), ('L875', '2023', 'year', 2),"
        " ('L866', '2021', 'year', 2), ('L875', '2021', 'year', 1)"
    )
    con.execute("create table marts.fct_staffing(unit_code varchar, as_of_date date, source_file varchar)")
    con.execute("insert into marts.fct_staffing values ('L875', '2023-06-30', 'bien_che_lap_vo.xlsx')")
    completeness = json.dumps(
        {"missing_units": [{"unit_code": "L22408", "unit_name": "Xã Cam Tân"}] * 1}, ensure_ascii=False
    )
    append_findings(
        con,
        "r1",
        [
            # a year nobody ranks now, with a long list of missing units: listed last
            Finding(
                "unit_submitted_every_family",
                "warn",
                "L56",
                "2018",
                None,
                None,
                "Tỉnh Khánh Hòa: 118 of 141 units submitted no dossiers data for 2018",
                "Tỉnh Khánh Hòa: thiếu số liệu hồ sơ TTHC năm 2018 của 118/141 đơn vị",
                "dossiers",
                completeness,
            ),
            # a commune of a ranked district, in the ranked year
            Finding(
                "resolved_parts_add_up",
                "warn",
                "L30001",
                "2023-H1",
                "tthc_cao_lanh.xlsx",
                10,
                "Resolved 585 ≠ on time 575 + late 0",
                "Đã giải quyết 585 ≠ đúng hạn 575 + trễ hạn 0",
            ),
            # a totals row without a unit, in a ranked district's staff table
            Finding(
                "stated_total_matches_parts",
                "warn",
                None,
                None,
                "bien_che_lap_vo.xlsx",
                12,
                "Stated total 733 but the parts add up to 732",
                "Tổng cộng ghi 733 nhưng được 732",
                "quota",
            ),
            # the ranked district, but an older year
            Finding(
                "actual_staff_within_quota",
                "warn",
                "L866",
                "2021-12-31",
                "bien_che_2021.xlsx",
                8,
                "Actual staff 101 above quota 100 by 1",
                "Số người thực tế 101 vượt biên chế 100 là 1",
            ),
            Finding(
                "file_rejected",
                "error",
                None,
                None,
                "tthc_sa_dec.xlsx",
                7,
                "unknown unit 'Thành phố Sa Đét'",
                "không tìm thấy đơn vị 'Thành phố Sa Đét'",
            ),
        ],
    )
    record_finding_history(con, "r1")
    con.close()
    return path


def test_alert_orders_by_what_blocks_or_changes_a_ranking_and_names_units(tmp_path: Path) -> None:
    database = _ranked_warehouse(tmp_path / "w.duckdb")
    summary = RunSummary(
        run_id="r1",
        run_succeeded=True,
        published_path=None,
        findings_by_severity={"error": 1, "warn": 4},
        checks=[CheckLine("raw/file_manifest", "gx_file_manifest", False, "error")],
    )
    alert = compose_alert(summary, database)
    # the error first, then the two warnings on units ranked for 2023 (the latest ranked
    # year), then the rest; not by how many units a finding names
    assert [(i["rule"], i["priority"]) for i in alert.worst_items] == [
        ("file_rejected", 0),
        ("resolved_parts_add_up", 1),
        ("stated_total_matches_parts", 1),
        ("actual_staff_within_quota", 2),
        ("unit_submitted_every_family", 2),
    ]
    lines = [line for line in alert.text.splitlines() if line.startswith("- ")]
    assert len(lines) == 5
    assert (
        "1 lỗi (tệp bị từ chối, kiểm tra chặn công bố) / errors (rejected files, checks that block"
        " publication), 2 cảnh báo về đơn vị được xếp hạng (2023)" in alert.text
    )
    # names, not codes: the unit by name (code in brackets), the rule in words
    assert "Phường 1 (L30001), 2023-H1, tthc_cao_lanh.xlsx, dòng / row 10" in lines[1]
    assert "Đã giải quyết phải bằng đúng hạn (gồm trước hạn) + trễ hạn" in lines[1]
    # the totals row without a unit is placed by its file's rows
    assert "— Huyện Lấp Vò, bien_che_lap_vo.xlsx" in lines[2]
    assert "Dòng tổng cộng phải bằng tổng các dòng chi tiết" in lines[2]
    assert "Tỉnh Khánh Hòa (L56), 2018" in lines[4] and "118/141" in lines[4]
    assert "Tệp nộp bị từ chối" in lines[0] and "Thành phố Sa Đét" in lines[0]
    assert alert.worst_items[1]["unit_name"] == "Phường 1"
    assert alert.worst_items[1]["rule_vi"] == "Đã giải quyết phải bằng đúng hạn (gồm trước hạn) + trễ hạn"


def test_after_a_failed_run_the_alert_counts_the_open_findings(tmp_path: Path) -> None:
    database = _ranked_warehouse(tmp_path / "w.duckdb")
    # r2 stopped in dbt (the lock on warehouse.duckdb): no checks, no findings of its own
    failed = RunSummary(run_id="r2", run_succeeded=False, failure_messages=["dbt failed"])
    alert = compose_alert(failed, database)
    assert alert.status == "failed"
    assert alert.counts["findings_error"] == 1 and alert.counts["findings_warn"] == 4
    assert alert.subject.endswith("1 lỗi / errors, 4 cảnh báo / warnings còn mở / still open")
    assert ": 0 lỗi" not in alert.text and "Findings: none" not in alert.text
    assert (
        "Findings still open as of the last checked run (run r1): 5 (1 lỗi / errors, 4 cảnh báo" in alert.text
    )
    assert [i["rule"] for i in alert.worst_items][:2] == ["file_rejected", "resolved_parts_add_up"]
    # before any checked run there is nothing to count: said so, not "0 errors"
    empty = tmp_path / "empty.duckdb"
    duckdb.connect(str(empty)).close()
    first = compose_alert(RunSummary(run_id="r0", run_succeeded=False), empty)
    assert "no checked run yet" in first.subject and "0 lỗi" not in first.subject
