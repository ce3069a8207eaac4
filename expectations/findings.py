"""Rows that violate a failed rule, listed by DuckDB with the rule's own predicate (composed
with DuckDB's relational API from the rule's declaration, see `expectations.spec`)."""

from __future__ import annotations

import datetime as dt
import logging
import math
from collections.abc import Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, Literal

import duckdb

from expectations.spec import FLOAT_TYPES, Rule, Suite, template_fields
from expectations.store import Finding

log = logging.getLogger(__name__)

DEFAULT_CAP = 1000
CONTEXT_COLUMNS = ("unit_code", "period_label", "source_file", "source_row", "finding_key")
#: text columns whose values may appear in findings; other text is masked in messages
TEXT_WHITELIST = frozenset({"unit_code", "period_label", "source_file"})
MASK = "[…]"
Lang = Literal["en", "vi"]


def format_value(value: Any, column: str, lang: Lang, text_columns: frozenset[str] = TEXT_WHITELIST) -> str:
    """A value for a message: plain numbers (no grouping), ISO / Vietnamese dates."""
    if value is None:
        return "NULL" if lang == "en" else "trống"
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    if isinstance(value, float | Decimal):
        # floats (rates) round half up to 2 decimals as the reports do; decimals (money)
        # are exact
        number = Decimal(str(value)) if isinstance(value, float) else value
        if isinstance(value, float):
            number = number.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
        text = f"{number:f}"
        if "." in text:
            text = text.rstrip("0").rstrip(".")
        text = "0" if text == "-0" else text
        return text.replace(".", ",") if lang == "vi" else text
    if isinstance(value, dt.datetime | dt.date):
        day = value.date() if isinstance(value, dt.datetime) else value
        return day.strftime("%d/%m/%Y") if lang == "vi" else day.isoformat()
    if isinstance(value, str) and column in text_columns:
        return value
    return MASK


class _Values(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "?"


def render(
    template: str, row: Mapping[str, Any], lang: Lang, text_columns: frozenset[str] = TEXT_WHITELIST
) -> str:
    values = _Values({k: format_value(v, k, lang, text_columns) for k, v in row.items()})
    return template.format_map(values)


def _period_label(start: Any, end: Any) -> str | None:
    if start is None or end is None:
        return None
    try:
        from ingest.periods import period_label  # type: ignore[import-not-found]

        return str(period_label(start, end))
    except (ImportError, TypeError, ValueError):
        return f"{start.isoformat()}..{end.isoformat()}"


def list_findings(
    con: duckdb.DuckDBPyConnection,
    suite: Suite,
    rule: Rule,
    column_types: Mapping[str, str],
    *,
    manifest_exists: bool,
    cap: int = DEFAULT_CAP,
) -> tuple[list[Finding], int]:
    """Findings for the first `cap` violating rows (plus one summary when capped) and the
    total number of violating rows."""
    join_manifest = suite.source_file_from_manifest and manifest_exists
    ctx_exprs = _context_expressions(suite, column_types, join_manifest)
    fields = dict.fromkeys(template_fields(rule.message_en) + template_fields(rule.message_vi))
    if suite.details_column and suite.details_column in column_types:
        fields[suite.details_column] = None
    selected = [f for f in fields if f in column_types]
    source = suite.rows(
        con,
        rule.where,
        extra_select={f"_ctx_{name}": expr for name, expr in ctx_exprs.items()},
        join_manifest=join_manifest,
    )
    violating = source.filter(rule.violation(column_types.get(rule.column, "") in FLOAT_TYPES))
    listed = (
        violating.select(
            *(duckdb.ColumnExpression(f"_ctx_{name}") for name in ctx_exprs),
            *(duckdb.ColumnExpression(f) for f in selected),
        )
        .sort(
            *(
                duckdb.ColumnExpression(f"_ctx_{name}").asc().nulls_last()
                for name in ("source_file", "source_row", "unit_code", "period_label")
            )
        )
        .limit(cap)
    )
    names = listed.columns
    rows = listed.fetchall()
    total = (
        int(violating.aggregate([duckdb.FunctionExpression("count_star")]).fetchall()[0][0]) if rows else 0
    )
    findings: list[Finding] = []
    allowed = TEXT_WHITELIST | frozenset(suite.text_columns)
    for raw in rows:
        record = dict(zip(names, raw, strict=True))
        ctx = {name: record[f"_ctx_{name}"] for name in ctx_exprs}
        period = ctx["period_label"]
        if period is None and suite.period_label_from_dates:
            period = _period_label(ctx.get("period_start"), ctx.get("period_end"))
        values = {f: record[f] for f in selected}
        for c in TEXT_WHITELIST:
            values.setdefault(c, ctx.get(c))
        source_row = ctx["source_row"]
        key = ctx["finding_key"]
        details = record.get(suite.details_column) if suite.details_column else None
        findings.append(
            Finding(
                rule=rule.rule,
                severity=rule.severity,
                unit_code=None if ctx["unit_code"] is None else str(ctx["unit_code"]),
                period_label=None if period is None else str(period),
                source_file=None if ctx["source_file"] is None else str(ctx["source_file"]),
                source_row=None if source_row is None else int(source_row),
                message=render(rule.message_en, values, "en", allowed),
                message_vi=render(rule.message_vi, values, "vi", allowed),
                finding_key=None if key is None else str(key),
                details=None if details is None else str(details),
            )
        )
    if total > cap:
        findings.append(capped_summary(rule, total, cap))
    return findings, total


def _context_expressions(
    suite: Suite, column_types: Mapping[str, str], join_manifest: bool
) -> dict[str, duckdb.Expression]:
    """Expressions (over the relation `t`) for the finding's unit, period, file and row."""
    exprs: dict[str, duckdb.Expression] = {}
    for name in CONTEXT_COLUMNS:
        if name in suite.context:
            exprs[name] = duckdb.SQLExpression(suite.context[name])
        elif name == "source_file" and join_manifest:
            exprs[name] = duckdb.ColumnExpression("_m", "_manifest_file_name")
        elif name in column_types:
            exprs[name] = duckdb.ColumnExpression("t", name)
        else:
            exprs[name] = duckdb.ConstantExpression(None)
    if suite.period_label_from_dates:
        for name in ("period_start", "period_end"):
            exprs[name] = (
                duckdb.ColumnExpression("t", name)
                if name in column_types
                else duckdb.ConstantExpression(None)
            )
    return exprs


def capped_summary(rule: Rule, total: int, cap: int) -> Finding:
    return Finding(
        rule=rule.rule,
        severity=rule.severity,
        unit_code=None,
        period_label=None,
        source_file=None,
        source_row=None,
        message=(f"{total} rows violate {rule.rule} ({rule.summary_en}); only the first {cap} are listed"),
        message_vi=(f"{total} dòng vi phạm {rule.rule} ({rule.summary_vi}); chỉ liệt kê {cap} dòng đầu"),
    )


def rule_finding(rule: Rule | None, rule_id: str, severity: str, en: str, vi: str) -> Finding:
    """A finding about a rule or a table as a whole (no row)."""
    return Finding(
        rule=rule.rule if rule else rule_id,
        severity=rule.severity if rule else severity,
        unit_code=None,
        period_label=None,
        source_file=None,
        source_row=None,
        message=en,
        message_vi=vi,
    )
