"""What an open finding touches, and whether it can block a publication or change a ranking.

Shared by the alert (read from the working database) and the reports (read from the
publication): both hold ``marts.dim_admin_units``, the fact marts and ``marts.rankings``.

A finding touches (unit, period) pairs:

* its own unit (``unit_code``) in its period;
* a grouped finding (``details`` JSON with ``missing_units``, e.g. one completeness finding
  per province): every unit it lists, in its period;
* a finding on a file with no unit (a totals row of a staff table): the units whose rows in
  the fact marts came from that file (``source_file``), in the periods of those rows.

A unit is concerned by a finding that touches the unit itself or any of its descendants (a
commune's figures are part of its district's). A finding without a period is taken to
concern every period.

Tiers, the order in which people read findings:

0. errors: a file rejected, or a failed error check that holds the publication back;
1. warnings that touch a unit ranked in the ranked period (itself, or through one of its
   descendants);
2. the rest.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

from expectations.history import FINGERPRINT_SQL

Finding = dict[str, Any]
Touch = tuple[str, str | None]

TIER_BLOCKS = 0
TIER_RANKING = 1
TIER_OTHER = 2
TIER_WORDS = {
    TIER_BLOCKS: ("error", "lỗi"),
    TIER_RANKING: ("touches a ranked unit", "ảnh hưởng đơn vị được xếp hạng"),
    TIER_OTHER: ("other", "khác"),
}
_STATUS_ORDER = {"new": 0, "open": 1, "resolved": 2}
#: the fingerprint (expectations.history) of a finding row aliased ``d``
_FINGERPRINT_OF_D = re.sub(
    r"\b(rule|unit_code|period_label|source_file|source_row|finding_key)\b", r"d.\1", FINGERPRINT_SQL
)

#: (fact mart, period expression) whose rows name the file they came from
_FACT_PERIODS = (
    ("fct_dossier_stats", "period_label"),
    ("fct_survey_satisfaction", "period_label"),
    ("fct_budget_disbursement", "coalesce(period_label, CAST(fiscal_year AS VARCHAR))"),
    ("fct_staffing", "strftime(as_of_date, '%Y-%m-%d')"),
)


def period_covers(finding_period: str | None, period: str) -> bool:
    """Whether a finding of ``finding_period`` concerns ``period``: the same label, one
    inside the other (``2023-H1``, ``2023-12-31`` in ``2023``; ``2023`` over ``2023-Q3``), or
    no period at all."""
    if finding_period is None:
        return True
    return (
        finding_period == period
        or finding_period.startswith(period + "-")
        or period.startswith(finding_period + "-")
    )


def missing_units(details: str | None) -> list[str]:
    """The unit codes a grouped finding's ``details`` lists (none when it lists none)."""
    if not details:
        return []
    try:
        parsed = json.loads(details)
    except ValueError:
        return []
    listed = parsed.get("missing_units") if isinstance(parsed, dict) else None
    return [str(u["unit_code"]) for u in listed or [] if isinstance(u, dict) and u.get("unit_code")]


def details_sql(con: duckdb.DuckDBPyConnection, status_alias: str = "s") -> str:
    """SQL for the ``details`` of a ``marts.data_quality_finding_status`` row (aliased
    ``status_alias``): its finding of the same run (same fingerprint); NULL when the findings
    table has no such column (written by an older release)."""
    has = con.execute(
        "SELECT count(*) FROM information_schema.columns WHERE table_catalog = current_database()"
        " AND table_schema = 'marts' AND table_name = 'data_quality_findings' AND column_name = 'details'"
    ).fetchone()
    if not has or not has[0]:
        return "NULL"
    return (
        "(SELECT any_value(d.details) FROM marts.data_quality_findings AS d"
        f" WHERE d.run_id = {status_alias}.run_id AND {_FINGERPRINT_OF_D} = {status_alias}.fingerprint)"
    )


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {
        f"{schema}.{name}"
        for schema, name in con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            " WHERE table_catalog = current_database()"
        ).fetchall()
    }


@dataclass
class FindingScope:
    """The units, files and rankings the findings of one read need, loaded in a few queries."""

    units: dict[str, dict[str, Any]] = field(default_factory=dict)
    file_units: dict[str, list[Touch]] = field(default_factory=dict)
    #: unit -> the periods it is ranked in
    ranked: dict[str, set[str]] = field(default_factory=dict)

    @classmethod
    def load(
        cls,
        con: duckdb.DuckDBPyConnection,
        findings: Sequence[Finding],
        ranked_periods: Sequence[str] | None = None,
    ) -> FindingScope:
        """``ranked_periods``: the periods whose rankings count for tier 1 (None: any)."""
        scope = cls()
        tables = _tables(con)
        files = sorted(
            {str(f["source_file"]) for f in findings if f.get("source_file") and not f.get("unit_code")}
        )
        if files:
            parts = [
                f"SELECT source_file, unit_code, {period} AS period_label FROM marts.{table}"
                " WHERE unit_code IS NOT NULL AND list_contains(?, source_file)"
                for table, period in _FACT_PERIODS
                if f"marts.{table}" in tables
            ]
            if parts:
                sql = " UNION ".join(parts) + " ORDER BY 1, 2, 3"
                for source_file, unit, period in con.execute(sql, [files] * len(parts)).fetchall():
                    scope.file_units.setdefault(source_file, []).append((unit, period))
        codes = {u for f in findings for u, _ in scope._direct_touches(f)}
        if "marts.dim_admin_units" in tables and codes:
            for row in con.execute(
                "SELECT unit_code, unit_name, unit_kind, parent_code, province_code"
                " FROM marts.dim_admin_units WHERE list_contains(?, unit_code)",
                [sorted(codes)],
            ).fetchall():
                scope.units[row[0]] = dict(
                    zip(
                        ("unit_code", "unit_name", "unit_kind", "parent_code", "province_code"),
                        row,
                        strict=True,
                    )
                )
        lineage = {a for code in codes for a in scope.lineage(code)}
        if "marts.rankings" in tables and lineage:
            sql = (
                "SELECT DISTINCT unit_code, period_label FROM marts.rankings"
                " WHERE list_contains(?, unit_code) AND rank IS NOT NULL"
            )
            params: list[Any] = [sorted(lineage)]
            if ranked_periods is not None:
                sql += " AND list_contains(?, period_label)"
                params.append(list(ranked_periods))
            for unit, period in con.execute(sql, params).fetchall():
                scope.ranked.setdefault(unit, set()).add(period)
        return scope

    # --- what a finding touches -------------------------------------------------------------

    def _direct_touches(self, finding: Finding) -> list[Touch]:
        period = finding.get("period_label")
        touches: list[Touch] = []
        if finding.get("unit_code"):
            touches.append((str(finding["unit_code"]), period))
        touches.extend((code, period) for code in missing_units(finding.get("details")))
        if not finding.get("unit_code") and finding.get("source_file"):
            touches.extend(
                (unit, period if period is not None else file_period)
                for unit, file_period in self.file_units.get(str(finding["source_file"]), [])
            )
        return list(dict.fromkeys(touches))

    def touches(self, finding: Finding) -> list[Touch]:
        """(unit, period) pairs the finding is about; empty when no unit can be told."""
        return self._direct_touches(finding)

    def lineage(self, unit_code: str) -> list[str]:
        """The unit and its ancestors (district, province) as far as the unit list tells."""
        found = [unit_code]
        unit = self.units.get(unit_code)
        while unit is not None:
            parents = [
                c for c in (unit.get("parent_code"), unit.get("province_code")) if c and c not in found
            ]
            if not parents:
                break
            found.extend(parents)
            unit = self.units.get(parents[0])
        return list(dict.fromkeys(found))

    def concerns(self, finding: Finding, unit_code: str, period: str | None = None) -> bool:
        """Whether the finding touches ``unit_code`` or a descendant (in ``period``, if given)."""
        return any(
            unit_code in self.lineage(unit) and (period is None or period_covers(touched_period, period))
            for unit, touched_period in self.touches(finding)
        )

    def attributable(self, finding: Finding) -> bool:
        return bool(self.touches(finding))

    def tier(self, finding: Finding) -> int:
        if finding.get("severity") == "error":
            return TIER_BLOCKS
        for unit, period in self.touches(finding):
            for ancestor in self.lineage(unit):
                if any(period_covers(period, p) for p in self.ranked.get(ancestor, ())):
                    return TIER_RANKING
        return TIER_OTHER

    def unit_name(self, unit_code: str | None) -> str | None:
        if unit_code is None:
            return None
        unit = self.units.get(unit_code)
        return unit["unit_name"] if unit and unit.get("unit_name") else None

    def touched_names(self, finding: Finding, limit: int = 5) -> str:
        """The units a finding is about, by name (``…`` and a count beyond ``limit``)."""
        names = list(dict.fromkeys(self.unit_name(u) or u for u, _ in self.touches(finding)))
        shown = ", ".join(names[:limit])
        return shown + (f", … (+{len(names) - limit})" if len(names) > limit else "")

    def annotate(self, findings: Iterable[Finding]) -> list[Finding]:
        """The findings with ``tier``, ``unit_name`` and ``units_touched`` added, ordered:
        tier, new before still open before resolved, rule, unit name, period, file, row."""
        annotated = []
        for f in findings:
            g = dict(f)
            g["tier"] = self.tier(g)
            g["unit_name"] = g.get("unit_name") or self.unit_name(g.get("unit_code"))
            g["units_touched"] = self.touched_names(g)
            annotated.append(g)
        annotated.sort(key=sort_key)
        return annotated


def sort_key(f: Finding) -> tuple:
    return (
        f.get("tier", TIER_OTHER),
        _STATUS_ORDER.get(str(f.get("status")), 0),
        str(f.get("rule") or ""),
        str(f.get("unit_name") or f.get("unit_code") or "~"),
        str(f.get("period_label") or ""),
        str(f.get("source_file") or ""),
        f.get("source_row") or 0,
    )
