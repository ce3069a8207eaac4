"""One alert per run, summarising rejected files and findings, sent through the channels
configured by environment variables:

* the log (always): `<warehouse>/alerts.log` and the Python logger `parwh.alerts`;
* a JSON webhook (`PARWH_ALERT_WEBHOOK_URL`): chat tools accept these;
* email (`PARWH_ALERT_SMTP_HOST`, `PARWH_ALERT_SMTP_PORT`, `PARWH_ALERT_EMAIL_FROM`,
  `PARWH_ALERT_EMAIL_TO`, optional `PARWH_ALERT_SMTP_USER` / `PARWH_ALERT_SMTP_PASSWORD`,
  `PARWH_ALERT_SMTP_STARTTLS=1`).

Alerts carry counts, rule names, units, periods and file names — never row values.
"""

from __future__ import annotations

import json
import logging
import os
import smtplib
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb

from orchestration.run_summary import EXIT_HELD_BACK, EXIT_PUBLISHED, RunSummary

logger = logging.getLogger("parwh.alerts")
logger.addHandler(logging.NullHandler())  # the CLI prints its own line; deployments add handlers

WORST_ITEMS = 10


@dataclass(frozen=True)
class Alert:
    run_id: str
    status: str  # published, held_back, failed
    subject: str
    text: str
    counts: dict[str, int]
    worst_items: list[dict[str, str | int | None]] = field(default_factory=list)

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,  # the field chat webhooks display
            "run_id": self.run_id,
            "status": self.status,
            "subject": self.subject,
            "counts": self.counts,
            "worst_items": self.worst_items,
        }


def _worst_findings(database: Path, run_id: str) -> list[dict[str, str | int | None]]:
    if not database.exists():
        return []
    con = duckdb.connect(str(database), read_only=True)
    try:
        exists = con.execute(
            "select count(*) from information_schema.tables "
            "where table_schema = 'marts' and table_name = 'data_quality_findings'"
        ).fetchone()[0]
        if not exists:
            return []
        rows = con.execute(
            "select severity, rule, unit_code, period_label, source_file, source_row, message "
            "from marts.data_quality_findings where run_id = ? "
            "order by case severity when 'error' then 0 else 1 end, rule, source_file, source_row "
            "limit ?",
            [run_id, WORST_ITEMS],
        ).fetchall()
    finally:
        con.close()
    keys = ("severity", "rule", "unit_code", "period_label", "source_file", "source_row", "message")
    return [dict(zip(keys, row, strict=True)) for row in rows]


def compose_alert(summary: RunSummary, database: Path) -> Alert:
    status = {EXIT_PUBLISHED: "published", EXIT_HELD_BACK: "held_back"}.get(summary.exit_code, "failed")
    rejected = [f for f in summary.files if f.status == "rejected"]
    counts = {
        "files_loaded": sum(1 for f in summary.files if f.status == "loaded"),
        "files_rejected": len(rejected),
        "findings_error": summary.findings_by_severity.get("error", 0),
        "findings_warn": summary.findings_by_severity.get("warn", 0),
        "checks_failed": summary.checks_failed,
        "checks_warned": summary.checks_warned,
    }
    worst = _worst_findings(database, summary.run_id)
    headline = {
        "published": "Đã công bố / Published",
        "held_back": "Chưa công bố: kiểm tra chất lượng không đạt / Held back by the quality gate",
        "failed": "Lỗi khi chạy / Run failed",
    }[status]
    subject = (
        f"[PAR Warehouse] {headline}: {counts['files_rejected']} tệp bị từ chối / files rejected, "
        f"{counts['findings_error']} lỗi / errors, {counts['findings_warn']} cảnh báo / warnings"
    )
    lines = [subject, f"Run {summary.run_id}"]
    for item in worst:
        place = ", ".join(
            str(v)
            for v in (item["unit_code"], item["period_label"], item["source_file"], item["source_row"])
            if v is not None
        )
        lines.append(f"- {item['severity']} {item['rule']} ({place}): {item['message']}")
    lines.append(
        f"Full list: marts.data_quality_findings where run_id = '{summary.run_id}' in the working database"
    )
    return Alert(summary.run_id, status, subject, "\n".join(lines), counts, worst)


def _send_webhook(url: str, alert: Alert) -> None:
    body = json.dumps(alert.as_json(), ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}, method="POST"
    )
    with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310 (configured URL)
        response.read()


def _send_email(env: Mapping[str, str], alert: Alert) -> None:
    message = EmailMessage()
    message["Subject"] = alert.subject
    message["From"] = env["PARWH_ALERT_EMAIL_FROM"]
    message["To"] = env["PARWH_ALERT_EMAIL_TO"]
    message.set_content(alert.text)
    port = int(env.get("PARWH_ALERT_SMTP_PORT") or 25)
    with smtplib.SMTP(env["PARWH_ALERT_SMTP_HOST"], port, timeout=10) as smtp:
        if env.get("PARWH_ALERT_SMTP_STARTTLS") == "1":
            smtp.starttls()
        if env.get("PARWH_ALERT_SMTP_USER"):
            smtp.login(env["PARWH_ALERT_SMTP_USER"], env.get("PARWH_ALERT_SMTP_PASSWORD", ""))
        smtp.send_message(message)


def deliver(alert: Alert, warehouse_dir: Path, env: Mapping[str, str] | None = None) -> list[str]:
    """Send the alert through every configured channel; returns the channels that took it.

    A channel that fails is logged and skipped: an alert problem never fails the run.
    """
    env = os.environ if env is None else env
    delivered = []
    stamp = datetime.now(UTC).isoformat(timespec="seconds")
    warehouse_dir.mkdir(parents=True, exist_ok=True)
    with (warehouse_dir / "alerts.log").open("a", encoding="utf-8") as log_file:
        log_file.write(f"{stamp} {alert.text}\n\n")
    logger.warning(alert.text)
    delivered.append("log")
    if env.get("PARWH_ALERT_WEBHOOK_URL"):
        try:
            _send_webhook(env["PARWH_ALERT_WEBHOOK_URL"], alert)
            delivered.append("webhook")
        except OSError as exc:
            logger.error(f"alert webhook failed: {exc}")
    if env.get("PARWH_ALERT_SMTP_HOST") and env.get("PARWH_ALERT_EMAIL_TO"):
        try:
            _send_email(env, alert)
            delivered.append("email")
        except (OSError, smtplib.SMTPException, KeyError) as exc:
            logger.error(f"alert email failed: {exc}")
    return delivered
