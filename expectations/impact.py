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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import duckdb

import sqlfiles

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
_PACKAGE = __package__ or "expectations"
#: the fact marts whose rows name the file they came from, each read by
#: ``sql/impact_file_units_<mart>.sql`` (which also says the period of a row)
_FILE_UNIT_MARTS = (
    "fct_dossier_stats",
    "fct_survey_satisfaction",
    "fct_budget_disbursement",
    "fct_staffing",
)


def _nulls_last(row: tuple[Any, ...]) -> tuple[tuple[bool, Any], ...]:
    """Sort key of a row as SQL orders it (ascending, nulls last)."""
    return tuple((value is None, "" if value is None else value) for value in row)


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


def attach_details(con: duckdb.DuckDBPyConnection, findings: Sequence[Finding]) -> list[Finding]:
    """The rows of ``marts.data_quality_finding_status`` (each with ``run_id`` and
    ``fingerprint``) with ``details`` set: their finding of the same run (same fingerprint)'s,
    ``None`` when there is none or the findings table has no such column (written by an
    older release). The rows keep their keys in order; ``details`` comes last if new."""
    run_ids = sorted({str(f["run_id"]) for f in findings if f.get("run_id") is not None})
    known = (
        {
            (r["run_id"], r["fingerprint"]): r["details"]
            for r in sqlfiles.rows(con, _PACKAGE, "impact_finding_details", {"run_ids": run_ids})
        }
        if run_ids
        else {}
    )
    return [{**f, "details": known.get((f.get("run_id"), f.get("fingerprint")))} for f in findings]


def _tables(con: duckdb.DuckDBPyConnection) -> set[str]:
    return {r["relation"] for r in sqlfiles.rows(con, _PACKAGE, "impact_tables")}


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
            present = [t for t in _FILE_UNIT_MARTS if f"marts.{t}" in tables]
            found = {
                (r["source_file"], r["unit_code"], r["period_label"])
                for table in present
                for r in sqlfiles.rows(con, _PACKAGE, f"impact_file_units_{table}", {"files": files})
            }
            for source_file, unit, period in sorted(found, key=_nulls_last):
                scope.file_units.setdefault(source_file, []).append((unit, period))
        codes = {u for f in findings for u, _ in scope._direct_touches(f)}
        if "marts.dim_admin_units" in tables and codes:
            for row in sqlfiles.rows(con, _PACKAGE, "impact_units", {"codes": sorted(codes)}):
                scope.units[row["unit_code"]] = row
        lineage = {a for code in codes for a in scope.lineage(code)}
        if "marts.rankings" in tables and lineage:
            periods = None if ranked_periods is None else list(ranked_periods)
            for row in sqlfiles.rows(
                con, _PACKAGE, "impact_ranked", {"codes": sorted(lineage), "periods": periods}
            ):
                scope.ranked.setdefault(row["unit_code"], set()).add(row["period_label"])
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
