"""Findings history: new, still open, resolved, keyed by a stable fingerprint.

The fingerprint of a finding is md5(rule | unit | period | file | row | finding_key) — no
message text, so a finding whose figures change keeps its identity. After the last
check of a run, `record_finding_history` compares the run's findings with
`audit.finding_status` (one row per fingerprint ever seen) and writes this run's view to
`marts.data_quality_finding_status` (published with the marts):

* `new`: first seen in this run (or seen again after it had been resolved);
* `open`: seen in an earlier run and again in this one; `first_seen_at` says since when;
* `resolved`: open until the previous run, absent from this one — reported once.

A rejected file is reported once by ingest (the same bytes are skipped afterwards), so a
`file_rejected` finding stays open until a file of the same name is loaded.
Recording is idempotent per run.

Only a run that evaluated the checks records the history (the gate, orchestration/assets/publication.py): a
run that failed or died before it changes nothing here. The files such a run rejected
are reported once, by that run, so the next run that records the history takes its
`file_rejected` findings in as its own (unless the history already holds them).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from expectations.store import ensure_result_tables, utc_now
from ingest.bookkeeping import ensure_finding_history_tables

FINGERPRINT_SQL = (
    "md5(concat_ws('|', rule, coalesce(unit_code, ''), coalesce(period_label, ''),"
    " coalesce(source_file, ''), coalesce(CAST(source_row AS VARCHAR), ''),"
    " coalesce(finding_key, '')))"
)
STICKY_RULES = ("file_rejected",)

COLUMNS = "rule, severity, unit_code, period_label, source_file, source_row, finding_key, message, message_vi"


@dataclass(frozen=True)
class HistoryCounts:
    new: int
    open: int
    resolved: int


def ensure_history_tables(con: duckdb.DuckDBPyConnection) -> None:
    """The findings table and the history tables (declared in ``ingest/bookkeeping.py``)."""
    ensure_result_tables(con)
    ensure_finding_history_tables(con)


def status_counts(con: duckdb.DuckDBPyConnection, run_id: str) -> HistoryCounts:
    rows = dict(
        con.execute(
            "SELECT status, count(*) FROM marts.data_quality_finding_status WHERE run_id = ? GROUP BY status",
            [run_id],
        ).fetchall()
    )
    return HistoryCounts(rows.get("new", 0), rows.get("open", 0), rows.get("resolved", 0))


def record_finding_history(con: duckdb.DuckDBPyConnection, run_id: str) -> HistoryCounts:
    """Update audit.finding_status with this run's findings; idempotent per run."""
    ensure_history_tables(con)
    done = con.execute(
        "SELECT count(*) FROM audit.finding_history_runs WHERE run_id = ?", [run_id]
    ).fetchone()
    if done and done[0]:
        return status_counts(con, run_id)
    now = utc_now()
    con.execute("BEGIN TRANSACTION")
    try:
        _record(con, run_id, now)
        con.execute("INSERT INTO audit.finding_history_runs VALUES (?, ?)", [run_id, now])
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    return status_counts(con, run_id)


def _record(con: duckdb.DuckDBPyConnection, run_id: str, now: object) -> None:
    sticky = ", ".join(f"'{r}'" for r in STICKY_RULES)  # constants of this module
    # this run's findings, and the rejected files of runs that never recorded the history
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _seen AS"
        f" WITH f AS (SELECT {FINGERPRINT_SQL} AS fingerprint, {COLUMNS}, run_id AS found_run, found_at"
        " FROM marts.data_quality_findings)"
        f" SELECT fingerprint, {COLUMNS} FROM f WHERE found_run = ?"
        f" OR (rule IN ({sticky}) AND found_run NOT IN (SELECT run_id FROM audit.finding_history_runs)"
        " AND NOT EXISTS (SELECT 1 FROM audit.finding_status AS h WHERE h.fingerprint = f.fingerprint"
        " AND (h.resolved_at IS NULL OR h.resolved_at >= f.found_at)))"
        " QUALIFY row_number() OVER (PARTITION BY fingerprint"
        " ORDER BY CASE severity WHEN 'error' THEN 0 ELSE 1 END) = 1",
        [run_id],
    )
    # statuses decided before the history table is touched
    still_open = f"h.rule IN ({sticky})"
    if _has_manifest(con):
        still_open += (
            " AND NOT EXISTS (SELECT 1 FROM raw.file_manifest AS m WHERE m.status = 'loaded'"
            " AND m.file_name = h.source_file AND m.loaded_at > h.first_seen_at)"
        )
    con.execute(
        "CREATE OR REPLACE TEMP TABLE _decided AS"
        " SELECT s.fingerprint, CASE WHEN h.fingerprint IS NULL OR h.resolved_at IS NOT NULL"
        " THEN 'new' ELSE 'open' END AS status FROM _seen AS s"
        " LEFT JOIN audit.finding_status AS h USING (fingerprint)"
        " UNION ALL"
        f" SELECT h.fingerprint, CASE WHEN {still_open} THEN 'open' ELSE 'resolved' END"
        " FROM audit.finding_status AS h"
        " WHERE h.resolved_at IS NULL AND h.fingerprint NOT IN (SELECT fingerprint FROM _seen)"
    )
    # new (first time, or again after being resolved)
    con.execute(
        "DELETE FROM audit.finding_status WHERE fingerprint IN"
        " (SELECT fingerprint FROM _decided WHERE status = 'new')"
    )
    con.execute(
        f"INSERT INTO audit.finding_status SELECT fingerprint, {COLUMNS}, ?, ?, ?, ?, NULL, NULL"
        " FROM _seen WHERE fingerprint IN (SELECT fingerprint FROM _decided WHERE status = 'new')",
        [run_id, now, run_id, now],
    )
    # still open and seen again: the latest message and severity
    con.execute(
        "UPDATE audit.finding_status AS h SET last_seen_run = ?, last_seen_at = ?,"
        " severity = s.severity, message = s.message, message_vi = s.message_vi"
        " FROM _seen AS s WHERE s.fingerprint = h.fingerprint AND h.first_seen_run <> ?",
        [run_id, now, run_id],
    )
    con.execute(
        "UPDATE audit.finding_status SET resolved_run = ?, resolved_at = ? WHERE fingerprint IN"
        " (SELECT fingerprint FROM _decided WHERE status = 'resolved')",
        [run_id, now],
    )
    con.execute(
        "INSERT INTO marts.data_quality_finding_status"
        f" SELECT ?, h.fingerprint, d.status, {_prefixed('h')},"
        " h.first_seen_at, h.last_seen_at, h.resolved_at"
        " FROM _decided AS d JOIN audit.finding_status AS h USING (fingerprint)",
        [run_id],
    )


def _prefixed(alias: str) -> str:
    return ", ".join(f"{alias}.{c.strip()}" for c in COLUMNS.split(","))


def _has_manifest(con: duckdb.DuckDBPyConnection) -> bool:
    row = con.execute(
        "SELECT count(*) FROM information_schema.tables"
        " WHERE table_schema = 'raw' AND table_name = 'file_manifest'"
    ).fetchone()
    return bool(row and row[0])
