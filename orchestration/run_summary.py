"""What one nightly run did, for the CLI's summary and its exit code."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from pathlib import Path

import dagster as dg
import duckdb

from ingest.headers import KNOWN_IGNORED

EXIT_PUBLISHED = 0
EXIT_FAILED = 1
EXIT_HELD_BACK = 2

# Characters that move the cursor, end a line or reorder text: in a file name they could
# forge a line of a log, an alert or an e-mail, or make a name read as another.
_NAMED_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_REORDERING = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}


def _escaped(char: str) -> str:
    if char in _NAMED_ESCAPES:
        return _NAMED_ESCAPES[char]
    code = ord(char)
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def escape_control(text: object) -> str:
    """``text`` on one line, as data: control characters (C0, DEL, C1), line and paragraph
    separators and bidirectional overrides written as escapes (``\\n``, ``\\x1b``,
    ``\\u202e``). Applied to every text a submitter chose (file names, sheet names, cell
    text in messages) before it reaches the terminal, a log, an alert or an e-mail."""
    value = "" if text is None else str(text)
    return "".join(
        _escaped(char)
        if ord(char) < 0x20
        or 0x7F <= ord(char) <= 0x9F
        or ord(char) in _REORDERING
        or unicodedata.category(char) in ("Zl", "Zp")
        else char
        for char in value
    )


@dataclass(frozen=True)
class FileLine:
    file_name: str
    source_family: str | None
    status: str
    rows: int | None
    message: str | None


@dataclass(frozen=True)
class CheckLine:
    asset: str
    check_name: str
    passed: bool
    severity: str  # "error" or "warn"


@dataclass
class RunSummary:
    run_id: str
    run_succeeded: bool
    files: list[FileLine] = field(default_factory=list)
    rows_by_source: dict[str, int] = field(default_factory=dict)
    checks: list[CheckLine] = field(default_factory=list)
    published_path: Path | None = None
    failure_messages: list[str] = field(default_factory=list)
    findings_by_severity: dict[str, int] = field(default_factory=dict)
    #: new / open / resolved (marts.data_quality_finding_status of this run)
    findings_by_status: dict[str, int] = field(default_factory=dict)
    #: the Great Expectations Data Docs site (index.html), when built
    docs_index: Path | None = None
    #: file -> the header columns the reader did not load, with why
    ignored_columns: dict[str, list[str]] = field(default_factory=dict)
    #: file -> warnings of the form's own checks at load (raw.load_findings)
    load_warnings: dict[str, int] = field(default_factory=dict)
    #: False when the run stopped before its checks were all evaluated: the findings
    #: history is unchanged, ``findings_by_status`` is that of ``history_run_id``
    history_recorded: bool = True
    #: the last run that recorded the findings history (this one when it did)
    history_run_id: str | None = None

    @property
    def checks_passed(self) -> int:
        return sum(1 for c in self.checks if c.passed)

    @property
    def checks_warned(self) -> int:
        return sum(1 for c in self.checks if not c.passed and c.severity == "warn")

    @property
    def checks_failed(self) -> int:
        return sum(1 for c in self.checks if not c.passed and c.severity == "error")

    @property
    def exit_code(self) -> int:
        if self.published_path is not None and self.run_succeeded:
            return EXIT_PUBLISHED
        if self.checks_failed:
            return EXIT_HELD_BACK
        return EXIT_FAILED


def _check_lines(instance: dg.DagsterInstance, run_id: str) -> list[CheckLine]:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    lines = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
        lines.append(
            CheckLine(
                asset=evaluation.asset_key.to_user_string(),
                check_name=evaluation.check_name,
                passed=evaluation.passed,
                severity="error" if evaluation.severity == dg.AssetCheckSeverity.ERROR else "warn",
            )
        )
    return lines


def _published_path(instance: dg.DagsterInstance, run_id: str) -> Path | None:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    for record in records:
        materialization = record.event_log_entry.asset_materialization
        if materialization and materialization.asset_key == dg.AssetKey("published_rankings"):
            path = materialization.metadata.get("path")
            return Path(path.value) if path is not None else None
    return None


def _failure_messages(instance: dg.DagsterInstance, run_id: str) -> list[str]:
    records = instance.get_records_for_run(run_id=run_id, of_type=dg.DagsterEventType.STEP_FAILURE).records
    messages = []
    for record in records:
        event = record.event_log_entry.dagster_event
        error = event.step_failure_data.error if event.step_failure_data else None
        while error is not None and error.cause is not None:
            error = error.cause  # the user code's own exception, not Dagster's wrapper
        text = error.message.strip() if error else "step failed"
        messages.append(f"{event.step_key}: {text.splitlines()[0] if text else ''}")
    return messages


def docs_index(database: Path) -> Path:
    """<warehouse>/docs/quality/index.html (the working database sits in <warehouse>)."""
    return database.parent / "docs" / "quality" / "index.html"


def summary_line(summary: RunSummary) -> str:
    """One line for the terminal: findings by severity and status, and the Data Docs."""
    severity = ", ".join(f"{n} {s}" for s, n in sorted(summary.findings_by_severity.items()))
    status = ", ".join(f"{summary.findings_by_status.get(s, 0)} {s}" for s in ("new", "open", "resolved"))
    docs = f"; Data Docs: {summary.docs_index}" if summary.docs_index else ""
    if not summary.history_recorded:
        since = f" run {summary.history_run_id[:8]}" if summary.history_run_id else " no run yet"
        open_count = summary.findings_by_status.get("open", 0)
        return (
            f"Findings: {severity or 'none'}; the checks did not all run: the findings history is"
            f" unchanged, {open_count} finding(s) still open as of{since}{docs}"
        )
    return f"Findings: {severity or 'none'} ({status}){docs}"


def recorded_history_run(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[bool, str | None]:
    """Whether ``run_id`` recorded the findings history, and the last run that did."""
    exists = con.execute(
        "select count(*) from information_schema.tables"
        " where table_schema = 'audit' and table_name = 'finding_history_runs'"
    ).fetchone()
    if not exists or not exists[0]:
        return False, None
    sql = "select count(*) from audit.finding_history_runs where run_id = ?"
    done = con.execute(sql, [run_id]).fetchone()
    if done and done[0]:
        return True, run_id
    row = con.execute(
        "select run_id from audit.finding_history_runs order by recorded_at desc limit 1"
    ).fetchone()
    return False, row[0] if row else None


def _load_results(con: duckdb.DuckDBPyConnection, tables: set[str], run_id: str, summary: RunSummary) -> None:
    """What the reader left out and what the forms' own checks found, file by file."""
    columns = {
        r[0]
        for r in con.execute(
            "select column_name from information_schema.columns"
            " where table_schema = 'raw' and table_name = 'file_manifest'"
        ).fetchall()
    }
    if "ignored_columns" in columns:
        for name, ignored in con.execute(
            "select file_name, ignored_columns from raw.file_manifest"
            " where run_id = ? and status = 'loaded' and len(ignored_columns) > 0 order by file_name",
            [run_id],
        ).fetchall():
            # columns recognised as holding no data (STT, Ghi chú) are listed in the manifest only
            unknown = [c for c in ignored if not c.endswith(KNOWN_IGNORED[0])]
            if unknown:
                summary.ignored_columns[name] = unknown
    if "raw.load_findings" in tables:
        for name, count in con.execute(
            "select m.file_name, count(*) from raw.load_findings f"
            " join raw.file_manifest m on m.file_id = f.file_id and m.source_family = f.source_family"
            " where m.run_id = ? and m.status = 'loaded' group by m.file_name order by m.file_name",
            [run_id],
        ).fetchall():
            summary.load_warnings[name] = int(count)


def summarise_run(instance: dg.DagsterInstance, run_id: str, database: Path) -> RunSummary:
    run = instance.get_run_by_id(run_id)
    summary = RunSummary(
        run_id=run_id,
        run_succeeded=bool(run and run.status == dg.DagsterRunStatus.SUCCESS),
        checks=_check_lines(instance, run_id),
        published_path=_published_path(instance, run_id),
        failure_messages=_failure_messages(instance, run_id),
    )
    index = docs_index(database)
    summary.docs_index = index if index.exists() else None
    if not database.exists():
        return summary
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = {
            row[0]
            for row in con.execute(
                "select table_schema || '.' || table_name from information_schema.tables"
            ).fetchall()
        }
        if "raw.file_manifest" in tables:
            for name, family, status, rows, message in con.execute(
                "select file_name, source_family, status, row_count, message "
                "from raw.file_manifest where run_id = ? order by file_name",
                [run_id],
            ).fetchall():
                summary.files.append(FileLine(name, family, status, rows, message))
                if status == "loaded" and family:
                    summary.rows_by_source[family] = summary.rows_by_source.get(family, 0) + int(rows or 0)
            _load_results(con, tables, run_id, summary)
        if "marts.data_quality_findings" in tables:
            for severity, count in con.execute(
                "select severity, count(*) from marts.data_quality_findings "
                "where run_id = ? group by severity",
                [run_id],
            ).fetchall():
                summary.findings_by_severity[severity] = int(count)
        summary.history_recorded, summary.history_run_id = recorded_history_run(con, run_id)
        if "marts.data_quality_finding_status" in tables and summary.history_run_id is not None:
            for status, count in con.execute(
                "select status, count(*) from marts.data_quality_finding_status "
                "where run_id = ? group by status",
                [summary.history_run_id],
            ).fetchall():
                if summary.history_recorded:
                    summary.findings_by_status[status] = int(count)
                elif status != "resolved":  # new or open then: still open now
                    still_open = summary.findings_by_status.get("open", 0) + int(count)
                    summary.findings_by_status["open"] = still_open
    finally:
        con.close()
    return summary
