"""One alert per run through a real SMTP server (aiosmtpd) and a real HTTP server, with
findings history: new, still open (first-seen date), resolved once."""

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
from night.summary import RunSummary

COMPLETENESS = Finding(
    "unit_submitted_every_family",
    "warn",
    "L868",
    "2023",
    None,
    None,
    "L868 submitted no staff data for 2023",
    "L868 chưa nộp",
    "staff",
)
TOTAL = Finding(
    "stated_total_matches_parts",
    "warn",
    None,
    None,
    "bien_che.xlsx",
    12,
    "Stated total 733 but the parts add up to 732",
    "Tổng 733",
    "quota",
)
BAD_UNIT = Finding(
    "unit_code_valid_for_period",
    "error",
    "L999",
    "2023",
    "x.csv",
    3,
    "Unit L999 is not in dim_admin_units",
    "Đơn vị L999",
    "budget",
)


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[bytes] = []

    async def handle_DATA(self, server, session, envelope) -> str:  # noqa: N802 (aiosmtpd API)
        self.messages.append(envelope.content)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _night(database: Path, run_id: str, findings: list[Finding]) -> None:
    con = duckdb.connect(str(database))
    ensure_result_tables(con)
    append_findings(con, run_id, findings)
    record_finding_history(con, run_id)
    con.close()


def _summary(run_id: str, errors: int, warns: int) -> RunSummary:
    return RunSummary(
        run_id=run_id, run_succeeded=True, findings_by_severity={"error": errors, "warn": warns}
    )


def test_alert_reaches_smtp_and_webhook_with_history(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    _night(database, "night-1", [COMPLETENESS, TOTAL])
    _night(database, "night-2", [COMPLETENESS, BAD_UNIT])  # TOTAL fixed, BAD_UNIT new
    docs = tmp_path / "docs" / "quality" / "index.html"
    docs.parent.mkdir(parents=True)
    docs.write_text("<html></html>")
    summary = _summary("night-2", 1, 1)
    summary.docs_index = docs

    posted: list[dict] = []

    class Hook(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 (http.server API)
            posted.append(json.loads(self.rfile.read(int(self.headers["Content-Length"]))))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    http = HTTPServer(("127.0.0.1", 0), Hook)
    http_thread = threading.Thread(target=http.handle_request, daemon=True)
    http_thread.start()
    inbox = _Inbox()
    smtp = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    smtp.start()
    try:
        env = {
            "PARWH_ALERT_WEBHOOK_URL": f"http://127.0.0.1:{http.server_address[1]}/hook",
            "PARWH_ALERT_SMTP_HOST": "127.0.0.1",
            "PARWH_ALERT_SMTP_PORT": str(smtp.port),
            "PARWH_ALERT_EMAIL_FROM": "parwh@so-noi-vu.example",
            "PARWH_ALERT_EMAIL_TO": "analysts@so-noi-vu.example",
        }
        alert = compose_alert(summary, database)
        channels = deliver(alert, tmp_path, env=env)
    finally:
        smtp.stop()
        http_thread.join(timeout=10)
        http.server_close()

    assert channels == ["log", "webhook", "email"]
    assert len(inbox.messages) == 1 and len(posted) == 1  # one alert per run
    mail = message_from_bytes(inbox.messages[0], policy=policy.default)
    body = mail.get_content()
    assert "1 lỗi / errors" in mail["Subject"]
    assert "1 new, 1 still open, 1 resolved" in body
    new_line = next(line for line in body.splitlines() if "unit_code_valid_for_period" in line)
    assert "NEW" in new_line and "L999" in new_line
    open_line = next(line for line in body.splitlines() if "unit_submitted_every_family" in line)
    assert "still open (open since" in open_line
    assert any("resolved" in line and "733" in line for line in body.splitlines())
    assert docs.as_uri() in body
    hook = posted[0]
    assert hook["counts"]["findings_new"] == 1 and hook["counts"]["findings_resolved"] == 1
    assert hook["worst_items"][0]["rule"] == "unit_code_valid_for_period"  # errors first
    assert hook["docs"] == docs.as_uri()


def test_resolved_is_reported_once_and_history_is_idempotent(tmp_path: Path) -> None:
    database = tmp_path / "warehouse.duckdb"
    _night(database, "n1", [COMPLETENESS, TOTAL])
    _night(database, "n2", [COMPLETENESS])
    _night(database, "n3", [COMPLETENESS])
    con = duckdb.connect(str(database))
    again = record_finding_history(con, "n3")  # a second call changes nothing
    rows = con.execute(
        "select run_id, rule, status from marts.data_quality_finding_status order by run_id, rule"
    ).fetchall()
    first_seen = con.execute(
        "select count(distinct first_seen_at) from marts.data_quality_finding_status"
        " where rule = 'unit_submitted_every_family'"
    ).fetchone()[0]
    con.close()
    assert (again.new, again.open, again.resolved) == (0, 1, 0)
    assert rows == [
        ("n1", "stated_total_matches_parts", "new"),
        ("n1", "unit_submitted_every_family", "new"),
        ("n2", "stated_total_matches_parts", "resolved"),
        ("n2", "unit_submitted_every_family", "open"),
        ("n3", "unit_submitted_every_family", "open"),
    ]
    assert first_seen == 1
