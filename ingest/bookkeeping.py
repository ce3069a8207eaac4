"""The bookkeeping tables Python writes besides the raw data: one declaration and one writer
each, used by the loaders (``ingest/``) and by the quality checks (``expectations/``).

* ``audit.check_results`` — one row per rule evaluated by a Great Expectations suite.
* ``marts.data_quality_findings`` — every finding of every run: files rejected by the
  loaders, a later version loaded the same night, rows that broke a quality rule. It is
  published under this name (an analysts' contract, docs/marts.md) and stays a table that
  Python writes into ``marts``, not a dbt model over a table of another schema: the checks
  write their findings after ``dbt build`` (they check what it built) and the gate publishes
  right after them, so a dbt model would hold the findings of the night before; and the
  publication copies the base tables of ``marts`` (a view would not be copied).
  ``dbt_project/models/marts/_marts.yml`` declares it as the source ``marts`` (for the
  docs); a test checks that it lists the same columns as :data:`DATA_QUALITY_FINDINGS`.

* ``audit.finding_status``, ``audit.finding_history_runs`` and
  ``marts.data_quality_finding_status`` — the findings' history (new, open, resolved),
  declared here and written by ``expectations/history.py``; the last one is published.
* ``raw.submission_withdrawals`` — the audit record of `parwh withdraw` (and of its
  ``--undo``), declared here and written by ``submissions/withdrawal.py``; read by
  `parwh submissions` and by the night's state (a withdrawal is a reason to run). Its name
  is kept (existing warehouses hold records in it, and readers name it).

Every table here is created with :func:`ingest.raw_tables.ensure_tables`: a table missing
is created, a column declared since is added to an existing warehouse's table.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

import duckdb

from ingest.raw_tables import Column, Table, ensure_tables

CHECK_RESULTS = Table(
    "audit",
    "check_results",
    "One row per rule evaluated by a Great Expectations suite in a run (counts only).",
    (
        Column("run_id", "varchar", "The Dagster run.", not_null=True),
        Column("check_name", "varchar", "The suite (Dagster asset check)."),
        Column("asset_key", "varchar", "The relation it checks."),
        Column("rule", "varchar", "Rule id."),
        Column("severity", "varchar", "error or warn."),
        Column("success", "boolean", "The rule held."),
        Column("unexpected_count", "bigint", "Rows that broke it."),
        Column("element_count", "bigint", "Rows checked."),
        Column("evaluated_at", "timestamp", "When (UTC)."),
    ),
)

DATA_QUALITY_FINDINGS = Table(
    "marts",
    "data_quality_findings",
    "Every finding of every run: rejected files (written by ingest) and rows that broke a"
    " quality rule (written by the Great Expectations checks). Published.",
    (
        Column("run_id", "varchar", "The Dagster run that found it.", not_null=True),
        Column("rule", "varchar", "Rule id (file_rejected, dossier_balance, …).", not_null=True),
        Column("severity", "varchar", "error or warn.", not_null=True),
        Column("unit_code", "varchar", "Unit concerned, where known."),
        Column("period_label", "varchar", "Period concerned, where known."),
        Column("source_file", "varchar", "Submitted file concerned."),
        Column("source_row", "bigint", "Row of that file."),
        Column("message", "varchar", "What is wrong, in English, with the numbers involved."),
        Column("message_vi", "varchar", "The same in Vietnamese."),
        Column("found_at", "timestamp", "When the run found it (UTC)."),
        Column(
            "finding_key",
            "varchar",
            "What else tells two findings of one rule, unit, period, file and row apart"
            " (a measure, a source family).",
        ),
        Column("details", "varchar", "JSON, for a grouped finding only: what it stands for."),
    ),
)

BOOKKEEPING_TABLES = (CHECK_RESULTS, DATA_QUALITY_FINDINGS)

_FINDING_COLUMNS = (
    Column("rule", "varchar", "Rule id."),
    Column("severity", "varchar", "error or warn."),
    Column("unit_code", "varchar", "Unit concerned, where known."),
    Column("period_label", "varchar", "Period concerned, where known."),
    Column("source_file", "varchar", "Submitted file concerned."),
    Column("source_row", "bigint", "Row of that file."),
    Column("finding_key", "varchar", "What else tells two findings apart (a measure …)."),
    Column("message", "varchar", "What is wrong, in English (as last seen)."),
    Column("message_vi", "varchar", "The same in Vietnamese."),
)

FINDING_STATUS = Table(
    "audit",
    "finding_status",
    "One row per finding fingerprint ever seen: when first and last seen, when resolved.",
    (
        Column(
            "fingerprint",
            "varchar",
            "md5 of rule, unit, period, file, row and finding key (no message text).",
            primary_key=True,
        ),
        *_FINDING_COLUMNS,
        Column("first_seen_run", "varchar", "The run that first found it."),
        Column("first_seen_at", "timestamp", "When (UTC)."),
        Column("last_seen_run", "varchar", "The last run that found it."),
        Column("last_seen_at", "timestamp", "When (UTC)."),
        Column("resolved_run", "varchar", "The first run that no longer found it."),
        Column("resolved_at", "timestamp", "When (UTC); null while open."),
    ),
)

FINDING_HISTORY_RUNS = Table(
    "audit",
    "finding_history_runs",
    "The runs whose findings the history holds (recording is idempotent per run).",
    (
        Column("run_id", "varchar", "The Dagster run."),
        Column("recorded_at", "timestamp", "When its history was recorded (UTC)."),
    ),
)

DATA_QUALITY_FINDING_STATUS = Table(
    "marts",
    "data_quality_finding_status",
    "Each run's findings with their status (new, open, resolved). Published.",
    (
        Column("run_id", "varchar", "The run."),
        Column("fingerprint", "varchar", "The finding (audit.finding_status)."),
        Column("status", "varchar", "new, open or resolved."),
        *_FINDING_COLUMNS,
        Column("first_seen_at", "timestamp", "First found (UTC)."),
        Column("last_seen_at", "timestamp", "Last found (UTC)."),
        Column("resolved_at", "timestamp", "Resolved (UTC), for status resolved."),
    ),
)

FINDING_HISTORY_TABLES = (FINDING_STATUS, FINDING_HISTORY_RUNS, DATA_QUALITY_FINDING_STATUS)

SUBMISSION_WITHDRAWALS = Table(
    "raw",
    "submission_withdrawals",
    "One row per withdrawal of a loaded submission (`parwh withdraw`), re-admission included.",
    (
        Column("file_id", "varchar", "sha256 of the file's bytes."),
        Column("file_name", "varchar", "Its name as submitted."),
        Column("source_families", "varchar[]", "The source families it held."),
        Column("unit_codes", "varchar[]", "The units it held."),
        Column("period_labels", "varchar[]", "The periods it held."),
        Column("row_count", "bigint", "Rows it had loaded."),
        Column("reason", "varchar", "Why it was withdrawn (required)."),
        Column("withdrawn_by", "varchar", "The OS user."),
        Column("withdrawn_at", "timestamp", "When (UTC)."),
        Column("rows_removed", "varchar", "JSON: rows deleted per raw table."),
        Column("moved_to", "varchar", "Where the file went (null when it was not moved)."),
        Column("loaded_at", "timestamp", "When it had been loaded (UTC)."),
        Column("load_run_id", "varchar", "The run that had loaded it."),
        Column("readmitted_at", "timestamp", "When `parwh withdraw --undo` re-admitted it (UTC)."),
        Column("readmitted_by", "varchar", "Who re-admitted it."),
    ),
)


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


def ensure_bookkeeping_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``audit.check_results`` and ``marts.data_quality_findings`` if missing, and add
    the columns declared since (warehouses of an earlier release)."""
    ensure_tables(con, BOOKKEEPING_TABLES)


def ensure_finding_history_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Create the findings' history tables if missing (and add columns declared since)."""
    ensure_tables(con, FINDING_HISTORY_TABLES)


def ensure_withdrawals_table(con: duckdb.DuckDBPyConnection) -> None:
    """Create ``raw.submission_withdrawals`` if missing (and add columns declared since)."""
    ensure_tables(con, (SUBMISSION_WITHDRAWALS,))


def append_check_results(
    con: duckdb.DuckDBPyConnection,
    rows: Sequence[tuple[str, str, str, str, str, bool, int, int, datetime]],
) -> None:
    """Rows of ``audit.check_results``, in its declared column order."""
    if rows:
        columns = CHECK_RESULTS.column_names
        con.executemany(
            f"insert into {CHECK_RESULTS.qualified_name} ({', '.join(columns)})"
            f" values ({', '.join('?' for _ in columns)})",
            list(rows),
        )


def append_findings(con: duckdb.DuckDBPyConnection, run_id: str, findings: Sequence[Finding]) -> int:
    """Findings of run ``run_id`` in ``marts.data_quality_findings``, all found now."""
    if not findings:
        return 0
    found_at = utc_now()
    columns = DATA_QUALITY_FINDINGS.column_names
    con.executemany(
        f"insert into {DATA_QUALITY_FINDINGS.qualified_name} ({', '.join(columns)})"
        f" values ({', '.join('?' for _ in columns)})",
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
