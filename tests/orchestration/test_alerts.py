"""Alerts reach a real HTTP server on 127.0.0.1 as JSON, and the log file."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path

import duckdb

from orchestration.alerts import compose_alert, deliver
from orchestration.run_summary import CheckLine, FileLine, RunSummary


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
        "('r0', 'file_rejected', 'error', null, null, 'old.xlsx', 1, 'old run', 'cũ', now())"
    )
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
