"""Declarative quality rules.

One `Rule` generates both the Great Expectations expectation (`to_gx_expectation`) and the
DuckDB predicate that lists the violating rows (`violation`), so the two cannot drift.
Both follow the same null semantics as GX column-map expectations: a null (or, for float
columns, NaN, which pandas reads as null) is not checked, except by `not_null`.

SQL text in a spec (`where`, derived columns, context columns: expressions, never whole
statements) is written by developers, never taken from data; the statements over a suite's
relation are composed with DuckDB's relational API (`Suite.rows`), and values (bounds, sets,
tolerances) are constants of its expression tree, never SQL text.
"""

from __future__ import annotations

import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

import duckdb

import sqlfiles

if TYPE_CHECKING:
    from great_expectations.expectations import Expectation

Severity = Literal["error", "warn"]
Kind = Literal["between", "not_null", "in_set", "equals_zero"]

SEVERITIES: tuple[Severity, ...] = ("error", "warn")
KINDS: tuple[Kind, ...] = ("between", "not_null", "in_set", "equals_zero")
_GX_SEVERITY = {"error": "critical", "warn": "warning"}
FLOAT_TYPES = frozenset({"DOUBLE", "FLOAT", "REAL", "FLOAT4", "FLOAT8"})
#: the temp table a cross-table suite's `query` fills (one suite is validated at a time)
SUITE_ROWS = "suite_rows"


def quote_ident(name: str) -> str:
    """Quote one SQL identifier (identifiers come from specs only)."""
    return '"' + name.replace('"', '""') + '"'


def quote_relation(relation: str) -> str:
    """`schema.table` -> `"schema"."table"`."""
    return ".".join(quote_ident(part) for part in relation.split("."))


def template_fields(template: str) -> list[str]:
    """Column names used by a message template such as "Resolved {resolved} ..."."""
    return [f for _, f, _, _ in string.Formatter().parse(template) if f]


@dataclass(frozen=True)
class Rule:
    """One data-quality rule on one column of one relation."""

    rule: str
    severity: Severity
    table: str
    kind: Kind
    column: str
    summary_en: str
    summary_vi: str
    message_en: str
    message_vi: str
    min: float | None = None
    max: float | None = None
    strict_min: bool = False
    strict_max: bool = False
    value_set: tuple[str, ...] = ()
    tolerance: float = 0
    where: str | None = None

    def __post_init__(self) -> None:
        if not self.rule.isidentifier() or self.rule != self.rule.lower():
            raise ValueError(f"rule id must be snake_case: {self.rule!r}")
        if self.severity not in SEVERITIES:
            raise ValueError(f"{self.rule}: severity must be one of {SEVERITIES}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.rule}: kind must be one of {KINDS}")
        if self.kind == "between" and self.min is None and self.max is None:
            raise ValueError(f"{self.rule}: between needs min or max")
        if self.kind == "in_set" and not self.value_set:
            raise ValueError(f"{self.rule}: in_set needs value_set")
        if self.tolerance < 0:
            raise ValueError(f"{self.rule}: tolerance must be >= 0")

    # --- SQL -------------------------------------------------------------------------------

    def violation(self, is_float: bool) -> duckdb.Expression:
        """Predicate true exactly for the rows GX counts as unexpected. Values (bounds, sets)
        are constants of DuckDB's expression tree, never SQL text."""
        col = duckdb.ColumnExpression(self.column)
        if self.kind == "not_null":
            return col.isnull() | duckdb.FunctionExpression("isnan", col) if is_float else col.isnull()
        present = col.isnotnull()
        if is_float:
            present = present & ~duckdb.FunctionExpression("isnan", col)
        if self.kind == "in_set":
            return present & col.isnotin(*(duckdb.ConstantExpression(v) for v in self.value_set))
        low, high, strict_low, strict_high = self._bounds()
        checks: list[duckdb.Expression] = []
        if low is not None:
            bound = duckdb.ConstantExpression(low)
            checks.append(col > bound if strict_low else col >= bound)
        if high is not None:
            bound = duckdb.ConstantExpression(high)
            checks.append(col < bound if strict_high else col <= bound)
        within = checks[0]
        for check in checks[1:]:
            within = within & check
        return present & ~within

    def _bounds(self) -> tuple[float | None, float | None, bool, bool]:
        if self.kind == "equals_zero":
            return -self.tolerance, self.tolerance, False, False
        return self.min, self.max, self.strict_min, self.strict_max

    # --- Great Expectations ----------------------------------------------------------------

    def to_gx_expectation(self) -> Expectation:
        """The GX 1.x expectation for this rule; `meta["rule"]` maps results back."""
        import great_expectations.expectations as gxe

        common: dict[str, Any] = {
            "column": self.column,
            "meta": {"rule": self.rule, "table": self.table},
            "severity": _GX_SEVERITY[self.severity],
            "description": self.summary_en,
        }
        if self.kind == "not_null":
            return gxe.ExpectColumnValuesToNotBeNull(**common)
        if self.kind == "in_set":
            return gxe.ExpectColumnValuesToBeInSet(value_set=list(self.value_set), **common)
        low, high, strict_low, strict_high = self._bounds()
        return gxe.ExpectColumnValuesToBeBetween(
            min_value=low,
            max_value=high,
            strict_min=strict_low,
            strict_max=strict_high,
            **common,
        )


@dataclass(frozen=True)
class Derived:
    """A column computed from the relation's own columns (SQL written in the spec)."""

    name: str
    sql: str


@dataclass(frozen=True)
class Suite:
    """The rules on one relation; `asset_key` equals the relation, e.g. ("marts", "x")."""

    name: str
    table: str
    asset_key: tuple[str, ...]
    rules: list[Rule]
    required: bool = False
    derived: tuple[Derived, ...] = ()
    #: finding column -> SQL expression over the relation (default: same-named column or NULL)
    context: dict[str, str] = field(default_factory=dict)
    #: look source_file up in raw.file_manifest by file_id (raw tables have no source_file)
    source_file_from_manifest: bool = False
    #: compute period_label from period_start/period_end with ingest.periods.period_label
    period_label_from_dates: bool = False
    #: cross-table rules: the statement file `expectations/sql/<query>.sql` (written by
    #: developers, never from data) that materialises the rows the rules and the findings see
    #: as the temp table `SUITE_ROWS` before validation. `table` stays the relation the
    #: Dagster check is attached to.
    query: str | None = None
    #: named parameters bound to `query`; returning None switches the suite off (not configured)
    query_params: Callable[[], Mapping[str, Any] | None] | None = None
    #: relations `query` reads; when one is missing the suite is skipped (passes, with a note)
    requires: tuple[str, ...] = ()
    #: text columns (beyond unit_code, period_label, source_file) messages may show: they
    #: must be computed by `query` from codes and counts, never copied from submitted text
    text_columns: tuple[str, ...] = ()
    #: a column of `query` (JSON text computed from codes, names of the official unit list
    #: and counts) stored whole in the finding's `details`: what a grouped finding stands for
    details_column: str | None = None

    def __post_init__(self) -> None:
        if not self.name.isidentifier():
            raise ValueError(f"suite name must be an identifier: {self.name!r}")
        if tuple(self.table.split(".")) != self.asset_key:
            raise ValueError(f"{self.name}: asset_key {self.asset_key} must equal {self.table}")
        for rule in self.rules:
            if rule.table != self.table:
                raise ValueError(f"{rule.rule}: table {rule.table} is not {self.table}")

    @property
    def relation(self) -> str:
        """What the rules read: the table, or the temp table `query` is materialised into."""
        return SUITE_ROWS if self.query else self.table

    def rule_groups(self) -> dict[str | None, list[Rule]]:
        """Rules grouped by their `where` filter (one dataframe per group)."""
        groups: dict[str | None, list[Rule]] = {}
        for rule in self.rules:
            groups.setdefault(rule.where, []).append(rule)
        return groups

    def rows(
        self,
        con: duckdb.DuckDBPyConnection,
        where: str | None,
        extra_select: Mapping[str, duckdb.Expression] | None = None,
        join_manifest: bool = False,
    ) -> duckdb.DuckDBPyRelation:
        """The relation (as `t`) with its derived columns, filtered by the group's `where`,
        composed with DuckDB's relational API from this declaration.

        With `join_manifest`, `_m._manifest_file_name` is available to `extra_select`
        (expectations/sql/spec_manifest_file_names.sql). Raises duckdb.Error when a derived
        column or the filter names a column the relation lacks."""
        table = con.table(quote_relation(self.relation))
        relation = table.set_alias("t")
        if join_manifest:
            files = con.sql(sqlfiles.text(__package__ or "expectations", "spec_manifest_file_names"))
            relation = relation.join(
                files.set_alias("_m"),
                duckdb.ColumnExpression("_m", "file_id") == duckdb.ColumnExpression("t", "file_id"),
                how="left",
            )
        if where:
            relation = relation.filter(duckdb.SQLExpression(where))
        select = [duckdb.ColumnExpression("t", name) for name in table.columns]
        select += [duckdb.SQLExpression(d.sql).alias(d.name) for d in self.derived]
        select += [expression.alias(name) for name, expression in (extra_select or {}).items()]
        return relation.select(*select)
