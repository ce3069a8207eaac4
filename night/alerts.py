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
import smtplib
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.message import EmailMessage
from pathlib import Path

import duckdb

import sqlfiles
from expectations.impact import TIER_BLOCKS, TIER_RANKING, FindingScope, attach_details
from expectations.suites import rule_title
from night.summary import (
    EXIT_HELD_BACK,
    EXIT_PUBLISHED,
    RunSummary,
    escape_control,
    recorded_history_run,
)
from settings import environment

logger = logging.getLogger("parwh.alerts")
logger.addHandler(logging.NullHandler())  # the CLI prints its own line; deployments add handlers

_SQL = __package__ or "night"  # the package of sql/alerts_*.sql
WORST_ITEMS = 10
#: resolved findings listed one by one; more are counted by rule
RESOLVED_LISTED = 5


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
#: read with the items, used to place and order them; not sent in ``worst_items``
_EXTRA_KEYS = ("message_vi", "details")
SEVERITY_WORDS = {"error": "lỗi", "warn": "cảnh báo"}
STATUS_WORDS = {"new": ("NEW", "mới"), "open": ("still open", "còn mở"), "resolved": ("resolved", "đã xử lý")}


def ensure_history(database: Path, run_id: str) -> None:
    """Kept for callers of older releases: it records nothing any more.

    A run stopped before the gate did not evaluate the checks; recording its partial
    findings would mark every finding it did not reach "resolved" (and "new" again the next
    night, first-seen dates lost). The gate (assets/publish.py) is the only writer.
    """
    del database, run_id


def _latest_ranked_year(con: duckdb.DuckDBPyConnection, tables: set[str]) -> list[str] | None:
    """The period the nightly reports rank (the latest year); None (any) without rankings."""
    if "rankings" not in tables:
        return None
    row = sqlfiles.one(con, _SQL, "alerts_latest_ranked_year")
    return [row[0]] if row and row[0] else None


def _items(
    database: Path, run_id: str
) -> tuple[list[dict[str, str | int | None]], bool, str | None, list[str] | None]:
    """This run's findings in the order people should read them (expectations.impact:
    errors that block publication, then warnings on units ranked in the latest ranked year,
    then the rest; new before still open), resolved last; whether this run recorded the
    history, the run whose history the items are, and the ranked period used.

    A run that did not record the history reports the findings open as of the last run
    that did, all as still open."""
    if not database.exists():
        return [], False, None, None
    try:
        con = duckdb.connect(str(database), read_only=True)
    except duckdb.Error as exc:  # busy or damaged: the alert goes out without findings
        logger.error(f"findings not read: {exc}")
        return [], False, None, None
    try:
        recorded, history_run = recorded_history_run(con, run_id)
        tables = {row["table_name"] for row in sqlfiles.rows(con, _SQL, "alerts_marts_tables")}
        keys = (*ITEM_KEYS, *_EXTRA_KEYS)
        if "data_quality_finding_status" in tables:
            if not recorded and history_run is None:
                return [], False, None, None
            # a run that did not record the history: what the last recorded run left open
            params = {"run_id": run_id if recorded else history_run, "still_open_only": not recorded}
            rows = attach_details(con, sqlfiles.rows(con, _SQL, "alerts_status_items", params))
        elif "data_quality_findings" in tables:
            rows = sqlfiles.rows(con, _SQL, "alerts_finding_items", {"run_id": run_id})
        else:
            return [], recorded, history_run, None
        found = [{key: row[key] for key in keys} for row in rows]
        periods = _latest_ranked_year(con, tables)
        scope = FindingScope.load(con, found, periods)
        items = scope.annotate(found)
    finally:
        con.close()
    return items, recorded, history_run, periods


def _line(item: dict[str, str | int | None]) -> str:
    """One finding in words: severity and status, the rule described, the unit by name
    (code in brackets), period, file and row, the message in Vietnamese and English."""
    unit = item["unit_code"]
    name = item.get("unit_name")
    where = [f"{name} ({unit})" if name and unit else unit or item.get("units_touched") or None]
    where += [item["period_label"], item["source_file"]]
    where.append(f"dòng / row {item['source_row']}" if item["source_row"] is not None else None)
    place = ", ".join(escape_control(w) for w in where if w)
    status_en, status_vi = STATUS_WORDS[str(item["status"])]
    since = (
        f" (open since {item['first_seen_at']})" if item["status"] == "open" and item["first_seen_at"] else ""
    )
    severity = str(item["severity"])
    rule = str(item["rule"])
    title = (
        f"{rule_title(rule, 'vi')} / {rule_title(rule, 'en')} ({rule})" if rule_title(rule) != rule else rule
    )
    message_vi = item.get("message_vi")
    message = escape_control(item["message"])
    if message_vi and message_vi != item["message"]:
        message = f"{escape_control(message_vi)} / {message}"
    return (
        f"- {escape_control(severity)} {status_en}{since}"
        f" [{SEVERITY_WORDS.get(severity, escape_control(severity))}, {status_vi}]:"
        f" {escape_control(title)}{' — ' + place if place else ''}: {message}"
    )


def _public(item: dict[str, str | int | None]) -> dict[str, str | int | None]:
    """An item as sent in the JSON (no details list: it can name hundreds of units)."""
    public = {k: item[k] for k in ITEM_KEYS}
    public["unit_name"] = item.get("unit_name")
    public["rule_vi"] = rule_title(str(item["rule"]), "vi")
    public["rule_en"] = rule_title(str(item["rule"]), "en")
    public["message_vi"] = item.get("message_vi")
    public["priority"] = item.get("tier")
    return public


def _why_tonight_ran(notes: list[str]) -> str:
    """The subject's words for why a night ran although no inbox file was new."""
    if any("did not finish" in note for note in notes):
        return " (sau một đêm không chạy xong / after a night that did not finish)"
    if any(note.startswith("Rút hồ sơ / Withdrawn") for note in notes):
        return " (sau khi rút hồ sơ / after a withdrawal)"
    if notes:
        return " (xử lý tiếp việc còn dở / finishing what earlier nights left)"
    return ""


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
    items, recorded, history_run, ranked_periods = _items(database, summary.run_id)
    current = [i for i in items if i["status"] != "resolved"]
    resolved = [i for i in items if i["status"] == "resolved"]
    if recorded:
        errors = summary.findings_by_severity.get("error", 0)
        warnings = summary.findings_by_severity.get("warn", 0)
    else:
        # the run did not evaluate every check: what is open is the last checked run's
        # findings, not the few this run wrote before it stopped (never "0 errors")
        errors = sum(1 for i in current if i["severity"] == "error")
        warnings = sum(1 for i in current if i["severity"] == "warn")
    counts = {
        "files_loaded": sum(1 for f in summary.files if f.status == "loaded"),
        "files_rejected": len(rejected),
        "files_skipped": sum(1 for f in summary.files if f.status == "skipped"),
        "findings_error": errors,
        "findings_warn": warnings,
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
    after_death = _why_tonight_ran(notes or [])
    if recorded:
        findings_words = f"{errors} lỗi / errors, {warnings} cảnh báo / warnings"
    elif history_run is not None:
        findings_words = f"{errors} lỗi / errors, {warnings} cảnh báo / warnings còn mở / still open"
    else:
        findings_words = "chưa có lần kiểm tra nào / no checked run yet"
    subject = escape_control(
        f"[PAR Warehouse] {headline}{after_death}: {counts['files_rejected']} tệp bị từ chối / files"
        f" rejected, {findings_words}"
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
            f" ({errors} lỗi / errors, {warnings} cảnh báo / warnings)"
        )
    if counts["files_skipped"]:
        lines.append(
            f"{counts['files_skipped']} tệp ẩn hoặc tệp khóa của Office không được đọc / hidden or"
            " Office lock file(s) not read (raw.file_manifest, status 'skipped')"
        )
    if worst:
        blocking = sum(1 for i in current if i["tier"] == TIER_BLOCKS)
        ranking = sum(1 for i in current if i["tier"] == TIER_RANKING)
        period = ", ".join(ranked_periods) if ranked_periods else "mọi kỳ / any period"
        lines.append(
            f"Cần xem trước / Read first: {len(worst)} of {len(current)}, in this order: {blocking}"
            f" lỗi (tệp bị từ chối, kiểm tra chặn công bố) / errors (rejected files, checks that block"
            f" publication), {ranking} cảnh báo về đơn vị được"
            f" xếp hạng ({period}) / warnings on units ranked for {period},"
            f" {len(current) - blocking - ranking} khác / other:"
        )
        lines.extend(_line(item) for item in worst)
    if len(resolved) > RESOLVED_LISTED:  # e.g. findings regrouped by a new release: counted by rule
        lines.append(f"Đã xử lý / Resolved ({len(resolved)}):")
        by_rule: dict[str, int] = {}
        for item in resolved:
            by_rule[str(item["rule"])] = by_rule.get(str(item["rule"]), 0) + 1
        lines.extend(
            f"- {n} × {rule_title(rule, 'vi')} / {rule_title(rule, 'en')} ({escape_control(rule)})"
            for rule, n in sorted(by_rule.items(), key=lambda kv: (-kv[1], kv[0]))
        )
    elif resolved:
        lines.append(f"Resolved ({len(resolved)}):")
        lines.extend(_line(item) for item in resolved)
    for line in rejected[:WORST_ITEMS] if not recorded else []:  # else among the findings
        lines.append(f"- rejected {escape_control(line.file_name)}: {escape_control(line.message)}")
    lines.append(
        f"Full list: marts.data_quality_findings and marts.data_quality_finding_status "
        f"where run_id = '{summary.run_id if recorded else history_run}' in {database}"
    )
    if summary.docs_index is not None:
        lines.append(f"Great Expectations Data Docs: {summary.docs_index.as_uri()}")
    docs = summary.docs_index.as_uri() if summary.docs_index is not None else None
    return Alert(summary.run_id, status, subject, "\n".join(lines), counts, [_public(i) for i in worst], docs)


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
    env = environment() if env is None else env
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
