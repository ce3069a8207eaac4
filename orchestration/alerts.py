"""One alert per run, summarising rejected files and findings, sent through the channels
configured by environment variables:

* the log (always): `<warehouse>/alerts.log` and the Python logger `parwh.alerts`;
* a JSON webhook (`PARWH_ALERT_WEBHOOK_URL`): chat tools accept these;
* email (`PARWH_ALERT_SMTP_HOST`, `PARWH_ALERT_SMTP_PORT`, `PARWH_ALERT_EMAIL_FROM`,
  `PARWH_ALERT_EMAIL_TO`, optional `PARWH_ALERT_SMTP_USER` / `PARWH_ALERT_SMTP_PASSWORD`,
  `PARWH_ALERT_SMTP_STARTTLS=1`).

Alerts carry counts, rule names, units, periods and file names — never row values.
A finding seen in an earlier run is listed as still open with its first-seen date; a
finding that disappeared is listed once as resolved (see `expectations.history`).

Only a run that evaluated the checks (it reached the gate) records the findings history.
The alert of a run that stopped earlier changes nothing: it lists the findings open as of
the last run that recorded the history, as still open. Every text a submitter chose (file
names, messages quoting them) is written with its control characters escaped
(`run_summary.escape_control`): a file name cannot forge a line of the log or the e-mail.
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

from orchestration.run_summary import (
    EXIT_HELD_BACK,
    EXIT_PUBLISHED,
    RunSummary,
    escape_control,
    recorded_history_run,
)

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
    docs: str | None = None

    def as_json(self) -> dict[str, object]:
        return {
            "text": self.text,  # the field chat webhooks display
            "run_id": self.run_id,
            "status": self.status,
            "subject": self.subject,
            "counts": self.counts,
            "worst_items": self.worst_items,
            "docs": self.docs,
        }


ITEM_KEYS = (
    "status",
    "severity",
    "rule",
    "unit_code",
    "period_label",
    "source_file",
    "source_row",
    "first_seen_at",
    "message",
)


def ensure_history(database: Path, run_id: str) -> None:
    """Kept for callers of older releases: it records nothing any more.

    A run stopped before the gate did not evaluate the checks; recording its partial
    findings would mark every finding it did not reach "resolved" (and "new" again the next
    night, first-seen dates lost). The gate (assets/publish.py) is the only writer.
    """
    del database, run_id


def _items(database: Path, run_id: str) -> tuple[list[dict[str, str | int | None]], bool, str | None]:
    """This run's findings: the worst first (errors, then new before open), resolved last;
    whether this run recorded the history, and the run whose history the items are.

    A run that did not record the history reports the findings open as of the last run
    that did, all as still open."""
    if not database.exists():
        return [], False, None
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:  # busy or damaged: the alert goes out without findings
        logger.error(f"findings not read: {exc}")
        return [], False, None
    try:
        recorded, history_run = recorded_history_run(con, run_id)
        tables = {
            row[0]
            for row in con.execute(
                "select table_name from information_schema.tables where table_schema = 'marts'"
            ).fetchall()
        }
        if "data_quality_finding_status" in tables and not recorded:
            if history_run is None:
                return [], False, None
            rows = con.execute(
                "select 'open', severity, rule, unit_code, period_label, source_file, source_row,"
                " strftime(first_seen_at, '%Y-%m-%d'), message"
                " from marts.data_quality_finding_status where run_id = ? and status <> 'resolved'"
                " order by case severity when 'error' then 0 else 1 end, first_seen_at,"
                " rule, source_file, source_row, unit_code",
                [history_run],
            ).fetchall()
            return [dict(zip(ITEM_KEYS, row, strict=True)) for row in rows], False, history_run
        if "data_quality_finding_status" in tables:
            sql = (
                "select status, severity, rule, unit_code, period_label, source_file, source_row,"
                " strftime(first_seen_at, '%Y-%m-%d') as first_seen_at, message"
                " from marts.data_quality_finding_status where run_id = ? order by"
                " case status when 'resolved' then 1 else 0 end,"
                " case severity when 'error' then 0 else 1 end,"
                " case status when 'new' then 0 else 1 end, rule, source_file, source_row, unit_code"
            )
        elif "data_quality_findings" in tables:
            sql = (
                "select 'new', severity, rule, unit_code, period_label, source_file, source_row,"
                " null, message from marts.data_quality_findings where run_id = ? order by"
                " case severity when 'error' then 0 else 1 end, rule, source_file, source_row"
            )
        else:
            return [], recorded, history_run
        rows = con.execute(sql, [run_id]).fetchall()
    finally:
        con.close()
    return [dict(zip(ITEM_KEYS, row, strict=True)) for row in rows], recorded, history_run


def _line(item: dict[str, str | int | None]) -> str:
    place = ", ".join(
        escape_control(item[k])
        for k in ("unit_code", "period_label", "source_file", "source_row")
        if item[k] is not None
    )
    since = (
        f" (open since {item['first_seen_at']})" if item["status"] == "open" and item["first_seen_at"] else ""
    )
    status = {"new": "NEW", "open": "still open", "resolved": "resolved"}[str(item["status"])]
    return (
        f"- {escape_control(item['severity'])} {status}{since} {escape_control(item['rule'])}"
        f" ({place}): {escape_control(item['message'])}"
    )


def compose_alert(
    summary: RunSummary,
    database: Path,
    notes: list[str] | None = None,
    unpublished_since: str | None = None,
) -> Alert:
    """The run's alert. ``notes``: lines said first (e.g. that the previous night died);
    ``unpublished_since``: since when nothing has been published (a night that did not)."""
    status = {EXIT_PUBLISHED: "published", EXIT_HELD_BACK: "held_back"}.get(summary.exit_code, "failed")
    rejected = [f for f in summary.files if f.status == "rejected"]
    items, recorded, history_run = _items(database, summary.run_id)
    current = [i for i in items if i["status"] != "resolved"]
    resolved = [i for i in items if i["status"] == "resolved"]
    counts = {
        "files_loaded": sum(1 for f in summary.files if f.status == "loaded"),
        "files_rejected": len(rejected),
        "files_skipped": sum(1 for f in summary.files if f.status == "skipped"),
        "findings_error": summary.findings_by_severity.get("error", 0),
        "findings_warn": summary.findings_by_severity.get("warn", 0),
        "findings_new": sum(1 for i in current if i["status"] == "new"),
        "findings_open": sum(1 for i in current if i["status"] == "open"),
        "findings_resolved": len(resolved),
        "checks_failed": summary.checks_failed,
        "checks_warned": summary.checks_warned,
    }
    worst = current[:WORST_ITEMS]
    headline = {
        "published": "Đã công bố / Published",
        "held_back": "Chưa công bố: kiểm tra chất lượng không đạt / Held back by the quality gate",
        "failed": "Lỗi khi chạy / Run failed",
    }[status]
    after_death = " (sau một đêm không chạy xong / after a night that did not finish)" if notes else ""
    subject = escape_control(
        f"[PAR Warehouse] {headline}{after_death}: {counts['files_rejected']} tệp bị từ chối / files"
        f" rejected, {counts['findings_error']} lỗi / errors, {counts['findings_warn']} cảnh báo / warnings"
    )
    lines = [subject, f"Run {summary.run_id}", *(escape_control(note) for note in notes or [])]
    if unpublished_since:
        lines.append(escape_control(unpublished_since))
    if recorded:
        lines.append(
            f"Findings: {counts['findings_new']} new, {counts['findings_open']} still open, "
            f"{counts['findings_resolved']} resolved since the last run"
        )
    else:
        since = f"run {history_run}" if history_run else "no run yet"
        lines.append(
            "The checks did not all run: the findings history is unchanged"
            " / Chưa kiểm tra hết: lịch sử phát hiện giữ nguyên."
            f" Findings still open as of the last checked run ({since}): {counts['findings_open']}"
        )
    if counts["files_skipped"]:
        lines.append(
            f"{counts['files_skipped']} tệp ẩn hoặc tệp khóa của Office không được đọc / hidden or"
            " Office lock file(s) not read (raw.file_manifest, status 'skipped')"
        )
    if worst:
        lines.append(f"Worst {len(worst)} of {len(current)}:")
        lines.extend(_line(item) for item in worst)
    if resolved:
        lines.append(f"Resolved ({len(resolved)}):")
        lines.extend(_line(item) for item in resolved[:WORST_ITEMS])
    for line in rejected[:WORST_ITEMS] if not recorded else []:  # else among the findings
        lines.append(f"- rejected {escape_control(line.file_name)}: {escape_control(line.message)}")
    lines.append(
        f"Full list: marts.data_quality_findings and marts.data_quality_finding_status "
        f"where run_id = '{summary.run_id if recorded else history_run}' in {database}"
    )
    if summary.docs_index is not None:
        lines.append(f"Great Expectations Data Docs: {summary.docs_index.as_uri()}")
    docs = summary.docs_index.as_uri() if summary.docs_index is not None else None
    return Alert(summary.run_id, status, subject, "\n".join(lines), counts, worst, docs)


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
