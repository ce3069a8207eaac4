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

Only a run that evaluated the checks records the history (the gate: `gate.history.pass_gate`,
called by the publication asset): a run that failed or died before it changes nothing
here. The files such a run rejected are reported once, by that run, so the next run that
records the history takes its `file_rejected` findings in as its own (unless the history
already holds them).
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

import sqlfiles
from expectations.store import ensure_result_tables, utc_now
from ingest.bookkeeping import ensure_finding_history_tables

#: the fingerprint over marts.data_quality_findings' columns (expectations/sql/history_seen.sql
#: computes the same; expectations.impact reads this one)
FINGERPRINT_SQL = (
    "md5(concat_ws('|', rule, coalesce(unit_code, ''), coalesce(period_label, ''),"
    " coalesce(source_file, ''), coalesce(CAST(source_row AS VARCHAR), ''),"
    " coalesce(finding_key, '')))"
)
STICKY_RULES = ("file_rejected",)
_SQL = __package__ or "expectations"


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
    rows = {
        row["status"]: row["findings"]
        for row in sqlfiles.rows(con, _SQL, "history_status_counts", {"run_id": run_id})
    }
    return HistoryCounts(rows.get("new", 0), rows.get("open", 0), rows.get("resolved", 0))


def record_finding_history(con: duckdb.DuckDBPyConnection, run_id: str) -> HistoryCounts:
    """Update audit.finding_status with this run's findings; idempotent per run."""
    ensure_history_tables(con)
    done = sqlfiles.one(con, _SQL, "history_run_recorded", {"run_id": run_id})
    if done and done[0]:
        return status_counts(con, run_id)
    now = utc_now()
    con.begin()
    try:
        _record(con, run_id, now)
        sqlfiles.execute(con, _SQL, "history_mark_run_recorded", {"run_id": run_id, "recorded_at": now})
        con.commit()
    except BaseException:
        con.rollback()
        raise
    return status_counts(con, run_id)


def _record(con: duckdb.DuckDBPyConnection, run_id: str, now: object) -> None:
    params = {"run_id": run_id, "now": now, "sticky_rules": list(STICKY_RULES)}
    # this run's findings, and the rejected files of runs that never recorded the history
    sqlfiles.execute(con, _SQL, "history_seen", params)
    # the files loaded, by which a rejected file's finding is resolved
    loaded = "history_loaded_files" if _has_manifest(con) else "history_loaded_files_none"
    sqlfiles.execute(con, _SQL, loaded)
    # statuses decided before the history table is touched
    sqlfiles.execute(con, _SQL, "history_decided", params)
    # new (first time, or again after being resolved)
    sqlfiles.execute(con, _SQL, "history_forget_new")
    sqlfiles.execute(con, _SQL, "history_insert_new", params)
    # still open and seen again: the latest message and severity
    sqlfiles.execute(con, _SQL, "history_update_open", params)
    sqlfiles.execute(con, _SQL, "history_resolve", params)
    sqlfiles.execute(con, _SQL, "history_publish_status", params)


def _has_manifest(con: duckdb.DuckDBPyConnection) -> bool:
    row = sqlfiles.one(con, _SQL, "history_manifest_exists")
    return bool(row and row[0])
