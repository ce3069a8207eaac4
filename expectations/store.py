"""The two result tables (created here if missing; ingest creates them with the same columns)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

CHECK_RESULTS_DDL = """
CREATE TABLE IF NOT EXISTS audit.check_results (
    run_id VARCHAR,
    check_name VARCHAR,
    asset_key VARCHAR,
    rule VARCHAR,
    severity VARCHAR,
    success BOOLEAN,
    unexpected_count BIGINT,
    element_count BIGINT,
    evaluated_at TIMESTAMP
)"""

FINDINGS_DDL = """
CREATE TABLE IF NOT EXISTS marts.data_quality_findings (
    run_id VARCHAR,
    rule VARCHAR,
    severity VARCHAR,
    unit_code VARCHAR,
    period_label VARCHAR,
    source_file VARCHAR,
    source_row BIGINT,
    message VARCHAR,
    message_vi VARCHAR,
    found_at TIMESTAMP,
    finding_key VARCHAR,
    details VARCHAR
)"""


@dataclass(frozen=True)
class Finding:
    rule: str
    severity: str
    unit_code: str | None
    period_label: str | None
    source_file: str | None
    source_row: int | None
    message: str
    message_vi: str
    #: what else tells two findings of one rule, unit, period, file and row apart (a measure)
    finding_key: str | None = None
    #: JSON with what a grouped finding stands for (e.g. every unit missing), else None
    details: str | None = None


def utc_now() -> datetime:
    """Naive UTC timestamp (the warehouse stores TIMESTAMP in UTC)."""
    return datetime.now(UTC).replace(tzinfo=None)


def ensure_result_tables(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("CREATE SCHEMA IF NOT EXISTS audit")
    con.execute("CREATE SCHEMA IF NOT EXISTS marts")
    con.execute(CHECK_RESULTS_DDL)
    con.execute(FINDINGS_DDL)
    # ingest may have created the table first, without the columns added since
    con.execute("ALTER TABLE marts.data_quality_findings ADD COLUMN IF NOT EXISTS finding_key VARCHAR")
    con.execute("ALTER TABLE marts.data_quality_findings ADD COLUMN IF NOT EXISTS details VARCHAR")


def append_check_results(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, str, str, str, str, bool, int, int, datetime]],
) -> None:
    if rows:
        con.executemany(
            "INSERT INTO audit.check_results (run_id, check_name, asset_key, rule, severity,"
            " success, unexpected_count, element_count, evaluated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            list(rows),
        )


def append_findings(con: duckdb.DuckDBPyConnection, run_id: str, findings: Sequence[Finding]) -> int:
    if not findings:
        return 0
    found_at = utc_now()
    con.executemany(
        "INSERT INTO marts.data_quality_findings (run_id, rule, severity, unit_code,"
        " period_label, source_file, source_row, message, message_vi, found_at, finding_key,"
        " details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            (
                run_id,
                f.rule,
                f.severity,
                f.unit_code,
                f.period_label,
                f.source_file,
                f.source_row,
                f.message,
                f.message_vi,
                found_at,
                f.finding_key,
                f.details,
            )
            for f in findings
        ],
    )
    return len(findings)
