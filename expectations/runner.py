"""`run_quality_checks`: validate the suites with GX, record counts, list findings."""

from __future__ import annotations

import logging
import time
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

import sqlfiles
from expectations.findings import DEFAULT_CAP, list_findings, rule_finding
from expectations.results import RuleResult, SuiteResult, worst_failed
from expectations.spec import Rule, Suite
from expectations.store import (
    Finding,
    append_check_results,
    append_findings,
    ensure_result_tables,
    utc_now,
)
from expectations.suites import SUITES

if TYPE_CHECKING:
    from great_expectations.data_context import AbstractDataContext

log = logging.getLogger(__name__)
_SQL = __package__ or "expectations"


class _LazyContext:
    """One ephemeral GX context per call, created only if some data needs validating."""

    def __init__(self, docs_dir: Path | None = None) -> None:
        self._context: AbstractDataContext | None = None
        self._names = 0
        self._docs_dir = docs_dir

    def get(self) -> AbstractDataContext:
        if self._context is None:
            from expectations.gx_runner import new_context

            self._context = new_context(self._docs_dir)
        return self._context

    def build_docs(self) -> Path | None:
        """Bring the Data Docs site up to date (`gx_runner.build_docs`); when this call
        validated nothing and the site already shows every stored result, it is left as is."""
        if self._docs_dir is None:
            return None
        from expectations.gx_runner import build_docs, docs_up_to_date

        if self._context is None and docs_up_to_date(self._docs_dir):
            return self._docs_dir / "index.html"
        return build_docs(self.get())

    def unique_name(self, base: str) -> str:
        self._names += 1
        return f"{base}_{self._names}"


def relation_exists(con: duckdb.DuckDBPyConnection, relation: str) -> bool:
    schema, _, name = relation.rpartition(".")
    (row,) = sqlfiles.rows(con, _SQL, "runner_relation_exists", {"schema": schema or "main", "name": name})
    return bool(row["found"])


def run_quality_checks(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    suite_names: Sequence[str] | None = None,
    *,
    suites: Sequence[Suite] | None = None,
    findings_cap: int = DEFAULT_CAP,
    docs_dir: Path | None = None,
) -> list[SuiteResult]:
    """Run the suites (all of `SUITES` by default, in order) against the warehouse.

    Appends one row per rule to audit.check_results and, for failed rules only, up to
    `findings_cap` findings per rule (plus a summary when capped) to
    marts.data_quality_findings. Results carry counts only. With `docs_dir`, the Great
    Expectations Data Docs site there is rebuilt (SUMMARY results: no row values).
    """
    catalogue = list(suites if suites is not None else SUITES)
    if suite_names is not None:
        known = {s.name: s for s in catalogue}
        unknown = [n for n in suite_names if n not in known]
        if unknown:
            raise ValueError(f"unknown suites: {unknown}; known: {sorted(known)}")
        catalogue = [s for s in catalogue if s.name in set(suite_names)]
    ensure_result_tables(con)
    context = _LazyContext(docs_dir)
    manifest_exists = relation_exists(con, "raw.file_manifest")
    results = [_run_suite(con, run_id, suite, context, manifest_exists, findings_cap) for suite in catalogue]
    context.build_docs()
    return results


def _run_suite(
    con: duckdb.DuckDBPyConnection,
    run_id: str,
    suite: Suite,
    context: _LazyContext,
    manifest_exists: bool,
    cap: int,
) -> SuiteResult:
    started = time.perf_counter()
    findings: list[Finding] = []
    results: list[RuleResult] = []
    note: str | None = None
    prepared = _prepare_query(con, suite) if relation_exists(con, suite.table) else "ok"
    if prepared != "ok":
        results = [_passed(r, 0) for r in suite.rules]
        note = prepared
    elif not relation_exists(con, suite.table):
        if suite.required:
            en = f"Required table {suite.table} does not exist"
            vi = f"Bảng bắt buộc {suite.table} không tồn tại"
            rule_id = f"{suite.name}_table_exists"
            results.append(RuleResult(rule_id, "error", False, 0, 0, en))
            findings.append(rule_finding(None, rule_id, "error", en, vi))
        else:
            results = [_passed(r, 0) for r in suite.rules]
        note = "table does not exist"
    else:
        total_rows = 0
        for where, rules in suite.rule_groups().items():
            group_results, group_findings, n = _run_group(
                con, suite, where, rules, context, manifest_exists, cap
            )
            results.extend(group_results)
            findings.extend(group_findings)
            total_rows += n
        if total_rows == 0:
            note = "table is empty" if where_free(suite) else "no rows to check"
    by_rule = {r.rule: r for r in results}
    ordered = [by_rule[r.rule] for r in suite.rules if r.rule in by_rule]
    ordered += [r for r in results if r.rule not in {x.rule for x in suite.rules}]

    evaluated_at = utc_now()
    asset_key = "/".join(suite.asset_key)
    append_check_results(
        con,
        [
            (
                run_id,
                suite.name,
                asset_key,
                r.rule,
                r.severity,
                r.success,
                r.unexpected_count,
                r.element_count,
                evaluated_at,
            )
            for r in ordered
        ],
    )
    written = append_findings(con, run_id, findings)
    worst = worst_failed(ordered)
    return SuiteResult(
        suite=suite.name,
        asset_key=suite.asset_key,
        success=worst is None,
        worst_failed_severity=worst,
        rule_results=ordered,
        findings_written=written,
        note=note,
        duration_seconds=time.perf_counter() - started,
    )


def _prepare_query(con: duckdb.DuckDBPyConnection, suite: Suite) -> str:
    """Materialise a cross-table suite's query as a temp table; "ok" or why it was skipped."""
    if suite.query is None:
        return "ok"
    params = suite.query_params() if suite.query_params else {}
    if params is None:
        return "skipped: not configured"
    missing = [r for r in suite.requires if not relation_exists(con, r)]
    if missing:
        return f"skipped: {', '.join(missing)} missing"
    # expectations/sql/<query>.sql fills the temp table suite.relation (spec.SUITE_ROWS)
    sqlfiles.execute(con, _SQL, suite.query, params).fetchall()
    return "ok"


def where_free(suite: Suite) -> bool:
    return all(r.where is None for r in suite.rules)


def _passed(rule: Rule, element_count: int) -> RuleResult:
    return RuleResult(rule.rule, rule.severity, True, 0, element_count, rule.summary_en)


def _failed_message(rule: Rule, unexpected: int, element_count: int) -> str:
    return f"{unexpected} of {element_count} rows: {rule.summary_en}"


def _run_group(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    where: str | None,
    rules: list[Rule],
    context: _LazyContext,
    manifest_exists: bool,
    cap: int,
) -> tuple[list[RuleResult], list[Finding], int]:
    results: list[RuleResult] = []
    findings: list[Finding] = []
    try:
        source = suite.rows(con, where)
    except duckdb.Error as exc:
        # A derived column or filter refers to a column the relation lacks.
        log.warning("suite %s: cannot read %s: %s", suite.name, suite.table, type(exc).__name__)
        for rule in rules:
            en = f"{rule.rule} could not be evaluated: {suite.table} lacks columns the suite uses"
            vi = f"Không kiểm tra được {rule.rule}: bảng {suite.table} thiếu cột cần dùng"
            results.append(RuleResult(rule.rule, rule.severity, False, 0, 0, en))
            findings.append(rule_finding(rule, rule.rule, rule.severity, en, vi))
        return results, findings, 0
    column_types = {
        str(name): str(kind).upper() for name, kind in zip(source.columns, source.types, strict=True)
    }

    runnable: list[Rule] = []
    for rule in rules:
        if rule.column in column_types:
            runnable.append(rule)
            continue
        en = f"{rule.rule} could not be evaluated: column {rule.column} is missing"
        vi = f"Không kiểm tra được {rule.rule}: thiếu cột {rule.column}"
        results.append(RuleResult(rule.rule, rule.severity, False, 0, 0, en))
        findings.append(rule_finding(rule, rule.rule, rule.severity, en, vi))

    columns = list(dict.fromkeys(r.column for r in runnable))
    if not columns:
        return results, findings, 0
    df = source.select(*(duckdb.ColumnExpression(c) for c in columns)).df()
    element_count = len(df)
    if element_count == 0:
        results.extend(_passed(r, 0) for r in runnable)
        return results, findings, 0

    from expectations.gx_runner import validate

    outcomes = validate(context.get(), context.unique_name(suite.name), df, runnable)
    del df
    for rule in runnable:
        outcome = outcomes[rule.rule]
        if outcome.success:
            results.append(_passed(rule, outcome.element_count))
            continue
        results.append(
            RuleResult(
                rule.rule,
                rule.severity,
                False,
                outcome.unexpected_count,
                outcome.element_count,
                outcome.error or _failed_message(rule, outcome.unexpected_count, element_count),
            )
        )
        rule_findings, total = list_findings(
            con, suite, rule, column_types, manifest_exists=manifest_exists, cap=cap
        )
        if total != outcome.unexpected_count:
            log.warning(
                "rule %s: GX counted %d unexpected rows, SQL listed %d",
                rule.rule,
                outcome.unexpected_count,
                total,
            )
        findings.extend(rule_findings)
    return results, findings, element_count
