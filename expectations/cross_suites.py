"""Cross-table rules: the Great Expectations suites built from the rule catalogue.

Each suite reads one dbt view, `quality.<suite>` (dbt_project/models/quality/), that holds
the rows its rules check; the runner materialises it once as a temp table and validates it
like any other relation. The rules (severity, expectation, words) come from
expectations/rules.yaml; no rule is written here.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from expectations.rules import load_catalogue, quality_relation
from expectations.spec import Rule, Suite, quote_relation
from settings import environment

#: days after a period's end by which its file must have been loaded (unset: rule off);
#: the view quality.submission_timeliness reads the same setting
DEADLINE_ENV = "PARWH_SUBMISSION_DEADLINE_DAYS"
#: the suite that is off unless the deadline is set
TIMELINESS = "submission_timeliness"
#: expectations/sql/cross_suites_rows.sql: a suite's quality view materialised for the runner
ROWS_QUERY = "cross_suites_rows"


def deadline_set() -> bool:
    """Whether PARWH_SUBMISSION_DEADLINE_DAYS is set (unset: the timeliness rule is off)."""
    text = environment().get(DEADLINE_ENV, "").strip()
    if not text:
        return False
    days = int(text)
    if days < 0:
        raise ValueError(f"{DEADLINE_ENV} must be 0 or more, got {days}")
    return True


@dataclass(frozen=True)
class ReadsView:
    """The parameters of expectations/sql/cross_suites_rows.sql: the suite's quality view
    (None, the suite off, when it is the timeliness suite and no deadline is set)."""

    relation: str
    needs_deadline: bool = False

    def __call__(self) -> Mapping[str, Any] | None:
        if self.needs_deadline and not deadline_set():
            return None
        return {"relation": self.relation}


def _rule(entry: dict[str, Any], table: str) -> Rule:
    return Rule(
        rule=entry["id"],
        severity=entry["severity"],
        table=table,
        kind=entry["kind"],
        column=entry["column"],
        min=None if entry.get("min") is None else float(entry["min"]),
        max=None if entry.get("max") is None else float(entry["max"]),
        value_set=tuple(entry.get("value_set") or ()),
        summary_en=entry["description"]["en"],
        summary_vi=entry["description"]["vi"],
        message_en=entry["message"]["en"],
        message_vi=entry["message"]["vi"],
    )


def build_suite(entry: dict[str, Any]) -> Suite:
    """One catalogue entry as a suite reading quality.<suite>."""
    table = entry["checks"]
    relation = quality_relation(entry["suite"])
    return Suite(
        name=entry["suite"],
        table=table,
        asset_key=tuple(table.split(".")),
        query=ROWS_QUERY,
        query_params=ReadsView(quote_relation(relation), needs_deadline=entry["suite"] == TIMELINESS),
        requires=(relation,),
        text_columns=tuple(entry.get("text_columns") or ()),
        context={"finding_key": entry["finding_key"]} if entry.get("finding_key") else {},
        details_column=entry.get("details_column"),
        rules=[_rule(rule, table) for rule in entry["rules"]],
    )


CROSS_SUITES: list[Suite] = [build_suite(entry) for entry in load_catalogue()["cross_table_suites"]]
