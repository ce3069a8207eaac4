"""What one nightly run did, for the CLI's summary, the alert and the exit code: from the run's
outcome as plain data (:class:`RunOutcome`, read from Dagster by ``orchestration/run_outcome.py``)
and the warehouse (``night/sql/summary_*.sql``)."""

from __future__ import annotations

import json
import re
import shlex
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import duckdb

import sqlfiles
from gate.decision import CheckOutcome
from ingest.headers import KNOWN_IGNORED

_SQL = __package__ or "night"

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
    #: the message in Vietnamese, where the loader wrote one (what the CLI shows)
    message_vi: str | None = None


#: a check of the run as the summary lists it (said in words by :func:`check_words`)
CheckLine = CheckOutcome


@dataclass(frozen=True)
class RunOutcome:
    """What the orchestrator recorded of one run, as plain data (``orchestration/run_outcome.py``
    reads it from Dagster's run and event log)."""

    run_id: str
    succeeded: bool
    checks: tuple[CheckOutcome, ...] = ()
    #: published/latest.duckdb when the run published (the ``published_rankings`` materialisation)
    published_path: Path | None = None
    #: ``step: message`` of each failed step (the user code's own exception)
    failure_messages: tuple[str, ...] = ()
    #: the workbooks and HTML reports of the ``published_reports`` materialisation, and the dbt docs
    reports: tuple[Path, ...] = ()
    dbt_docs: Path | None = None


@dataclass(frozen=True)
class BlockingFinding:
    """Error findings of one rule, unit and file that held publication back."""

    rule: str
    unit_code: str | None
    unit_name: str | None
    source_file: str | None
    #: the file is a loaded submission (raw.file_manifest): it can be withdrawn by name
    file_loaded: bool
    count: int
    message_vi: str
    message_en: str

    def command(self) -> tuple[str, str]:
        """What resolves it, in Vietnamese and in English."""
        if self.source_file and self.file_loaded:
            withdraw = f'parwh withdraw {shlex.quote(escape_control(self.source_file))} --reason "…"'
            return (
                f"rút tệp: {withdraw}, rồi sửa và nộp lại tệp",
                f"withdraw it: {withdraw}, then correct and resubmit the file",
            )
        return ("sửa và nộp lại tệp", "correct and resubmit the file")


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
    #: findings still open (new or open) as of ``history_run_id``, by severity
    open_by_severity: dict[str, int] = field(default_factory=dict)
    #: what the run wrote for people: the workbooks and HTML reports (the
    #: ``published_reports`` materialisation), the dbt docs, the Parquet export folder
    reports: list[Path] = field(default_factory=list)
    dbt_docs: Path | None = None
    parquet_dir: Path | None = None
    #: the error findings of this run that held publication back (grouped)
    blocking: list[BlockingFinding] = field(default_factory=list)

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


# --- check names in words ----------------------------------------------------------------


@cache
def _rule_words() -> dict[str, tuple[str, str]]:
    """Every Great Expectations rule's summary (vi, en), by rule id."""
    from expectations import SUITES

    return {rule.rule: (rule.summary_vi, rule.summary_en) for suite in SUITES for rule in suite.rules}


def rule_words(rule: str) -> tuple[str, str]:
    """A rule id in words (vi, en): the rule's summaries; a rule ingest reports
    (``file_rejected``, ``form_*``) by its id with spaces."""
    words = _rule_words().get(rule)
    if words is not None:
        return words
    readable = rule.replace("_", " ")
    return readable, readable


@cache
def _suite_rules() -> dict[str, tuple[str, ...]]:
    from expectations import SUITES

    return {suite.name: tuple(rule.rule for rule in suite.rules) for suite in SUITES}


def _dbt_tests(manifest: Path) -> dict[str, Mapping[str, Any]]:
    """The dbt tests of the prepared manifest, by name (the Dagster check name)."""
    try:
        nodes = json.loads(manifest.read_text(encoding="utf-8")).get("nodes", {})
    except (OSError, ValueError):
        return {}
    return {node["name"]: node for node in nodes.values() if node.get("resource_type") == "test"}


@cache
def _dbt_test_nodes() -> dict[str, Mapping[str, Any]]:
    from engines.dbt import dbt_project

    return _dbt_tests(dbt_project.manifest_path)


def _ref_name(text: object) -> str:
    """`ref('rubrics')` → rubrics."""
    found = re.search(r"ref\(\s*['\"]([^'\"]+)['\"]", str(text or ""))
    return found.group(1) if found else str(text or "")


def dbt_test_words(node: Mapping[str, Any]) -> tuple[str, str]:
    """A dbt test in words (vi, en): its own description or meta (``description_vi``) when
    the YAML gives one, else what its generic test means on its model and column."""
    meta = {**(node.get("meta") or {}), **((node.get("config") or {}).get("meta") or {})}
    description = str(node.get("description") or "").strip()
    if meta.get("description_vi") or description:
        en = str(meta.get("description_en") or description or meta.get("description_vi"))
        return str(meta.get("description_vi") or en), en
    test = node.get("test_metadata") or {}
    kwargs = test.get("kwargs") or {}
    model = str(node.get("attached_node") or "").rsplit(".", 1)[-1] or _ref_name(kwargs.get("model"))
    column = kwargs.get("column_name") or node.get("column_name")
    where = f"{model}.{column}" if column else model
    kind = test.get("name")
    if kind == "not_null":
        return f"{where} không được để trống", f"{where} must not be empty"
    if kind == "unique":
        return f"{where} không được trùng lặp", f"{where} must be unique"
    if kind == "accepted_values":
        values = ", ".join(str(v) for v in kwargs.get("values") or [])
        return f"{where} chỉ nhận các giá trị {values}", f"{where} takes only the values {values}"
    if kind == "relationships":
        target = f"{_ref_name(kwargs.get('to'))}.{kwargs.get('field')}"
        return f"{where} phải có trong {target}", f"every {where} must exist in {target}"
    if kind == "unique_combination_of_columns":
        columns = ", ".join(kwargs.get("combination_of_columns") or [])
        return (
            f"{model}: mỗi tổ hợp ({columns}) chỉ có một dòng",
            f"{model}: one row per ({columns})",
        )
    if kind == "within_range":
        low, high = kwargs.get("min_value"), kwargs.get("max_value")
        return f"{where} phải nằm trong khoảng {low}–{high}", f"{where} must lie between {low} and {high}"
    readable = str(node.get("name") or "").replace("_", " ")
    return f"kiểm tra dbt: {readable}", f"dbt test: {readable}"


def check_words(check_name: str, failed_rules: tuple[str, ...] = ()) -> tuple[str, str]:
    """A check name in words (Vietnamese, English).

    A Great Expectations suite (``gx_<suite>``) is said by the summaries of its failed rules
    (``Rule.summary_vi`` / ``summary_en``), or of all its rules when none is named; a dbt test
    by :func:`dbt_test_words`; anything else by its id with spaces."""
    if check_name.startswith("gx_"):
        words = _rule_words()
        rules = failed_rules or _suite_rules().get(check_name[3:], ())
        known = [words[rule] for rule in rules if rule in words]
        if known:
            more = f"; … (+{len(known) - 3})" if len(known) > 3 else ""
            return (
                "; ".join(vi for vi, _ in known[:3]) + more,
                "; ".join(en for _, en in known[:3]) + more,
            )
    node = _dbt_test_nodes().get(check_name)
    if node is not None:
        return dbt_test_words(node)
    readable = check_name.replace("_", " ")
    return readable, readable


def docs_index(database: Path) -> Path:
    """<warehouse>/docs/quality/index.html (the working database sits in <warehouse>)."""
    return database.parent / "docs" / "quality" / "index.html"


def summary_line(summary: RunSummary) -> str:
    """One line for the terminal: findings by severity and status, and the Data Docs.

    After a run that stopped before its checks all ran, the findings still open as of the
    last checked run (never "none" while findings are open)."""
    severity = ", ".join(f"{n} {s}" for s, n in sorted(summary.findings_by_severity.items()))
    status = ", ".join(f"{summary.findings_by_status.get(s, 0)} {s}" for s in ("new", "open", "resolved"))
    docs = f"; Data Docs: {summary.docs_index}" if summary.docs_index else ""
    if not summary.history_recorded:
        since = f"run {summary.history_run_id[:8]}" if summary.history_run_id else "no checked run yet"
        open_count = summary.findings_by_status.get("open", 0)
        by_severity = ", ".join(f"{n} {s}" for s, n in sorted(summary.open_by_severity.items()) if n)
        tonight = f"; found tonight: {severity}" if severity else ""
        return (
            f"Phát hiện còn mở / Open findings: {open_count}"
            + (f" ({by_severity})" if by_severity else "")
            + f" as of the last night that reached the gate ({since}); tonight did not reach it,"
            f" so the findings history is unchanged{tonight}{docs}"
        )
    return f"Findings: {severity or 'none'} ({status}){docs}"


def recorded_history_run(con: duckdb.DuckDBPyConnection, run_id: str) -> tuple[bool, str | None]:
    """Whether ``run_id`` recorded the findings history, and the last run that did."""
    exists = sqlfiles.one(con, _SQL, "summary_history_table_exists")
    if not exists or not exists[0]:
        return False, None
    done = sqlfiles.one(con, _SQL, "summary_history_recorded", {"run_id": run_id})
    if done and done[0]:
        return True, run_id
    row = sqlfiles.one(con, _SQL, "summary_last_history_run")
    return False, row[0] if row else None


def _load_results(con: duckdb.DuckDBPyConnection, tables: set[str], run_id: str, summary: RunSummary) -> None:
    """What the reader left out and what the forms' own checks found, file by file."""
    columns = {row["column_name"] for row in sqlfiles.rows(con, _SQL, "summary_manifest_columns")}
    if "ignored_columns" in columns:
        for row in sqlfiles.rows(con, _SQL, "summary_ignored_columns", {"run_id": run_id}):
            # columns recognised as holding no data (STT, Ghi chú) are listed in the manifest only
            unknown = [c for c in row["ignored_columns"] if not c.endswith(KNOWN_IGNORED[0])]
            if unknown:
                summary.ignored_columns[row["file_name"]] = unknown
    if "raw.load_findings" in tables:
        for row in sqlfiles.rows(con, _SQL, "summary_load_warnings", {"run_id": run_id}):
            summary.load_warnings[row["file_name"]] = int(row["warnings"])


def _blocking_findings(
    con: duckdb.DuckDBPyConnection, tables: set[str], run_id: str
) -> list[BlockingFinding]:
    """The error findings of the run, by rule, unit and file, with the unit's name (from the
    admin unit list the warehouse has: the mart, else the raw list, else none)."""
    if "marts.data_quality_findings" not in tables or "raw.file_manifest" not in tables:
        return []
    if "marts.dim_admin_units" in tables:
        name = "summary_blocking_findings_marts_units"
    elif "raw.admin_units" in tables:
        name = "summary_blocking_findings_raw_units"
    else:
        name = "summary_blocking_findings_none_units"
    return [
        BlockingFinding(
            rule=row["rule"],
            unit_code=row["unit_code"],
            unit_name=row["unit_name"],
            source_file=row["source_file"],
            file_loaded=bool(row["file_loaded"]),
            count=int(row["findings"]),
            message_vi=row["message_vi"] or "",
            message_en=row["message_en"] or "",
        )
        for row in sqlfiles.rows(con, _SQL, name, {"run_id": run_id})
    ]


def _finding_counts(con: duckdb.DuckDBPyConnection, tables: set[str], summary: RunSummary) -> None:
    """The run's findings by severity; new / open / resolved as of the last run that recorded
    the findings history (this one when it did: else what is still open)."""
    if "marts.data_quality_findings" in tables:
        for row in sqlfiles.rows(con, _SQL, "summary_findings_by_severity", {"run_id": summary.run_id}):
            summary.findings_by_severity[row["severity"]] = int(row["findings"])
    summary.history_recorded, summary.history_run_id = recorded_history_run(con, summary.run_id)
    if "marts.data_quality_finding_status" not in tables or summary.history_run_id is None:
        return
    params = {"run_id": summary.history_run_id}
    for row in sqlfiles.rows(con, _SQL, "summary_finding_status", params):
        status, severity, count = row["status"], row["severity"], int(row["findings"])
        if summary.history_recorded:
            summary.findings_by_status[status] = summary.findings_by_status.get(status, 0) + count
        elif status != "resolved":  # new or open then: still open now
            summary.findings_by_status["open"] = summary.findings_by_status.get("open", 0) + count
        if status != "resolved":
            summary.open_by_severity[severity] = summary.open_by_severity.get(severity, 0) + count


def summarise_run(outcome: RunOutcome, database: Path) -> RunSummary:
    """The summary of the run ``outcome`` describes, completed from the working database
    ``database`` (files, rows, findings, what blocked publication)."""
    run_id = outcome.run_id
    summary = RunSummary(
        run_id=run_id,
        run_succeeded=outcome.succeeded,
        checks=list(outcome.checks),
        published_path=outcome.published_path,
        failure_messages=list(outcome.failure_messages),
        reports=list(outcome.reports),
        dbt_docs=outcome.dbt_docs,
    )
    # published/parquet/latest/: one Parquet file per mart and schema.json (each publication)
    parquet = database.parent / "published" / "parquet" / "latest"
    summary.parquet_dir = parquet if summary.published_path is not None and parquet.is_dir() else None
    index = docs_index(database)
    summary.docs_index = index if index.exists() else None
    if not database.exists():
        return summary
    con = duckdb.connect(str(database), read_only=True)
    try:
        tables = {row["table_name"] for row in sqlfiles.rows(con, _SQL, "summary_tables")}
        if "raw.file_manifest" in tables:
            for row in sqlfiles.rows(con, _SQL, "summary_files", {"run_id": run_id}):
                line = FileLine(
                    row["file_name"],
                    row["source_family"],
                    row["status"],
                    row["row_count"],
                    row["message"],
                    row["message_vi"],
                )
                summary.files.append(line)
                family = line.source_family
                if line.status == "loaded" and family:
                    loaded = summary.rows_by_source.get(family, 0) + int(line.rows or 0)
                    summary.rows_by_source[family] = loaded
            _load_results(con, tables, run_id, summary)
        _finding_counts(con, tables, summary)
        if summary.published_path is None and summary.checks_failed:
            summary.blocking = _blocking_findings(con, tables, run_id)
    finally:
        con.close()
    return summary
