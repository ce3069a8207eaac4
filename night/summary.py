"""What one nightly run did, for the CLI's summary and its exit code."""

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
    #: the rules of a Great Expectations suite that failed (its check's metadata)
    failed_rules: tuple[str, ...] = ()

    def words(self) -> tuple[str, str]:
        """What the check checks, in Vietnamese and in English (:func:`check_words`)."""
        return check_words(self.check_name, self.failed_rules)


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


def _check_lines(instance: dg.DagsterInstance, run_id: str) -> list[CheckLine]:
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_CHECK_EVALUATION, limit=100_000
    ).records
    lines = []
    for record in records:
        evaluation = record.event_log_entry.dagster_event.asset_check_evaluation_data
        # the Great Expectations checks name each failed rule in a metadata key "error: rule"
        failed_rules = tuple(
            key.split(": ", 1)[1]
            for key in (evaluation.metadata or {})
            if key.startswith(("error: ", "warn: "))
        )
        lines.append(
            CheckLine(
                asset=evaluation.asset_key.to_user_string(),
                check_name=evaluation.check_name,
                passed=evaluation.passed,
                severity="error" if evaluation.severity == dg.AssetCheckSeverity.ERROR else "warn",
                failed_rules=failed_rules,
            )
        )
    return lines


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


def _reports_written(instance: dg.DagsterInstance, run_id: str) -> tuple[list[Path], Path | None]:
    """The workbooks, HTML reports and dbt docs the run's ``published_reports`` recorded."""
    records = instance.get_records_for_run(
        run_id=run_id, of_type=dg.DagsterEventType.ASSET_MATERIALIZATION
    ).records
    for record in records:
        materialization = record.event_log_entry.asset_materialization
        if materialization and materialization.asset_key == dg.AssetKey("published_reports"):
            reports = materialization.metadata.get("reports")
            docs = materialization.metadata.get("dbt_docs")
            paths = [Path(line) for line in str(reports.value).splitlines() if line] if reports else []
            return paths, Path(str(docs.value)) if docs is not None else None
    return [], None


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


BLOCKING_SQL = """
select f.rule, f.unit_code, u.unit_name, f.source_file,
       f.source_file is not null and exists (
           select 1 from raw.file_manifest m where m.file_name = f.source_file and m.status = 'loaded'
       ) as file_loaded,
       count(*) as findings, min(f.message_vi) as message_vi, min(f.message) as message_en
from marts.data_quality_findings f
left join {units} u on u.unit_code = f.unit_code
where f.run_id = ? and f.severity = 'error' and f.rule <> 'file_rejected'  -- listed as rejected files
group by all
order by f.source_file nulls last, f.rule, f.unit_code
"""


def _blocking_findings(
    con: duckdb.DuckDBPyConnection, tables: set[str], run_id: str
) -> list[BlockingFinding]:
    """The error findings of the run, by rule, unit and file, with the unit's name."""
    if "marts.data_quality_findings" not in tables or "raw.file_manifest" not in tables:
        return []
    units = "marts.dim_admin_units" if "marts.dim_admin_units" in tables else "raw.admin_units"
    if units not in tables:
        units = "(select null::varchar as unit_code, null::varchar as unit_name)"
    rows = con.execute(BLOCKING_SQL.format(units=units), [run_id]).fetchall()
    return [
        BlockingFinding(rule, unit, name, source, bool(loaded), int(count), vi or "", en or "")
        for rule, unit, name, source, loaded, count, vi, en in rows
    ]


def summarise_run(instance: dg.DagsterInstance, run_id: str, database: Path) -> RunSummary:
    run = instance.get_run_by_id(run_id)
    summary = RunSummary(
        run_id=run_id,
        run_succeeded=bool(run and run.status == dg.DagsterRunStatus.SUCCESS),
        checks=_check_lines(instance, run_id),
        published_path=_published_path(instance, run_id),
        failure_messages=_failure_messages(instance, run_id),
    )
    summary.reports, summary.dbt_docs = _reports_written(instance, run_id)
    # published/parquet/latest/: one Parquet file per mart and schema.json (each publication)
    parquet = database.parent / "published" / "parquet" / "latest"
    summary.parquet_dir = parquet if summary.published_path is not None and parquet.is_dir() else None
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
            for status, severity, count in con.execute(
                "select status, severity, count(*) from marts.data_quality_finding_status "
                "where run_id = ? group by status, severity",
                [summary.history_run_id],
            ).fetchall():
                if summary.history_recorded:
                    summary.findings_by_status[status] = summary.findings_by_status.get(status, 0) + int(
                        count
                    )
                elif status != "resolved":  # new or open then: still open now
                    still_open = summary.findings_by_status.get("open", 0) + int(count)
                    summary.findings_by_status["open"] = still_open
                if status != "resolved":
                    by_severity = summary.open_by_severity.get(severity, 0) + int(count)
                    summary.open_by_severity[severity] = by_severity
        if summary.published_path is None and summary.checks_failed:
            summary.blocking = _blocking_findings(con, tables, run_id)
    finally:
        con.close()
    return summary
