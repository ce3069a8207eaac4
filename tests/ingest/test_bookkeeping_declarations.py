"""The bookkeeping tables declared in ``ingest/bookkeeping.py`` (issue 17): created from the
declaration they have the columns, types and key the hand-written DDL of earlier releases
gave them, and a warehouse created by an earlier release keeps its records when opened."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import duckdb

from expectations.history import ensure_history_tables
from ingest.bookkeeping import (
    DATA_QUALITY_FINDING_STATUS,
    FINDING_HISTORY_RUNS,
    FINDING_STATUS,
    SUBMISSION_WITHDRAWALS,
)
from submissions.withdrawal import ensure_audit_table

# The DDL of the release before issue 17 (expectations/history.py, submissions/withdrawal.py).
EARLIER_DDL = (
    "create schema if not exists audit",
    "create schema if not exists marts",
    "create schema if not exists raw",
    """CREATE TABLE IF NOT EXISTS audit.finding_status (
    fingerprint VARCHAR PRIMARY KEY,
    rule VARCHAR, severity VARCHAR, unit_code VARCHAR, period_label VARCHAR,
    source_file VARCHAR, source_row BIGINT, finding_key VARCHAR,
    message VARCHAR, message_vi VARCHAR,
    first_seen_run VARCHAR, first_seen_at TIMESTAMP,
    last_seen_run VARCHAR, last_seen_at TIMESTAMP,
    resolved_run VARCHAR, resolved_at TIMESTAMP)""",
    "CREATE TABLE IF NOT EXISTS audit.finding_history_runs (run_id VARCHAR, recorded_at TIMESTAMP)",
    """CREATE TABLE IF NOT EXISTS marts.data_quality_finding_status (
    run_id VARCHAR, fingerprint VARCHAR, status VARCHAR,
    rule VARCHAR, severity VARCHAR, unit_code VARCHAR, period_label VARCHAR,
    source_file VARCHAR, source_row BIGINT, finding_key VARCHAR,
    message VARCHAR, message_vi VARCHAR,
    first_seen_at TIMESTAMP, last_seen_at TIMESTAMP, resolved_at TIMESTAMP)""",
    """create table if not exists raw.submission_withdrawals (
    file_id varchar, file_name varchar, source_families varchar[], unit_codes varchar[],
    period_labels varchar[], row_count bigint, reason varchar, withdrawn_by varchar,
    withdrawn_at timestamp, rows_removed varchar, moved_to varchar, loaded_at timestamp,
    load_run_id varchar, readmitted_at timestamp, readmitted_by varchar)""",
)
TABLES = (FINDING_STATUS, FINDING_HISTORY_RUNS, DATA_QUALITY_FINDING_STATUS, SUBMISSION_WITHDRAWALS)


def _shape(con: duckdb.DuckDBPyConnection) -> dict[str, list[tuple[str, str]]]:
    return {
        t.qualified_name: con.execute(
            "select column_name, data_type from information_schema.columns"
            " where table_schema = ? and table_name = ? order by ordinal_position",
            [t.schema, t.name],
        ).fetchall()
        for t in TABLES
    }


def _keys(con: duckdb.DuckDBPyConnection) -> list[tuple]:
    return con.execute(
        "select schema_name, table_name, constraint_column_names from duckdb_constraints()"
        " where constraint_type = 'PRIMARY KEY' order by all"
    ).fetchall()


def test_declared_tables_are_the_earlier_tables(tmp_path: Path) -> None:
    earlier = duckdb.connect(str(tmp_path / "earlier.duckdb"))
    for ddl in EARLIER_DDL:
        earlier.execute(ddl)
    declared = duckdb.connect(str(tmp_path / "declared.duckdb"))
    ensure_history_tables(declared)
    ensure_audit_table(declared)
    assert _shape(declared) == _shape(earlier)
    assert _shape(declared)["raw.submission_withdrawals"][2] == ("source_families", "VARCHAR[]")
    assert _keys(declared) == _keys(earlier) == [("audit", "finding_status", ["fingerprint"])]


def test_an_earlier_warehouse_keeps_its_records(tmp_path: Path) -> None:
    con = duckdb.connect(str(tmp_path / "earlier.duckdb"))
    for ddl in EARLIER_DDL:
        con.execute(ddl)
    when = datetime(2026, 3, 4, 5, 6, 7)
    con.execute("insert into audit.finding_history_runs values ('run-1', ?)", [when])
    con.execute(
        "insert into raw.submission_withdrawals (file_id, file_name, unit_codes, reason, withdrawn_at)"
        " values ('abc', 'x.xlsx', ['H01', 'H02'], 'sai số liệu', ?)",
        [when],
    )
    ensure_history_tables(con)
    ensure_audit_table(con)
    assert con.execute("select * from audit.finding_history_runs").fetchall() == [("run-1", when)]
    assert con.execute(
        "select file_id, unit_codes, reason, withdrawn_at from raw.submission_withdrawals"
    ).fetchall() == [("abc", ["H01", "H02"], "sai số liệu", when)]
