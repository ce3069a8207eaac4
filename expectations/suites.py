"""The single-table suites: which relation each reads and the columns its rules derive.

The rules themselves (id, severity, expectation, description, message) are declared once in
the rule catalogue, expectations/rules.yaml (`single_table_suites`), read by
`expectations.rules.single_table_rules`. Adding a rule is adding an entry there.

Message templates may use the violating row's numeric and date columns (and derived
columns); text columns other than unit_code, period_label and source_file are masked when
rendered (see `expectations.findings`), so keep text out of templates.
"""

from __future__ import annotations

from typing import Any

from expectations.cross_suites import CROSS_SUITES
from expectations.load_suites import LOAD_FINDINGS_SUITE
from expectations.rules import column_labels, dossier_label, rule_words, single_table_rules
from expectations.spec import Derived, Suite

__all__ = ["SUITES", "LABELS", "dossier_label", "describe_rules", "rule_title", "rule_titles"]

DOSSIER_STATS = "marts.fct_dossier_stats"
SURVEY = "marts.fct_survey_satisfaction"
BUDGET = "marts.fct_budget_disbursement"
STAFFING = "marts.fct_staffing"
TOTALS = "quality.int_submitted_totals_compared"
RANKINGS = "marts.rankings"
RAW_DOSSIERS = "raw.dossiers"

#: column -> (English label, Vietnamese label); dossier measures come from the vocabulary
LABELS: dict[str, tuple[str, str]] = column_labels()

DOSSIER_STATS_SUITE = Suite(
    name="fct_dossier_stats",
    table=DOSSIER_STATS,
    asset_key=("marts", "fct_dossier_stats"),
    required=True,
    derived=(
        Derived("period_length_days", "date_diff('day', period_start, period_end)"),
        Derived("balance_inflow", "coalesce(carried_in, 0) + received"),
        # resolved + pending + waiting_supplement + withdrawn + stopped, nulls as 0: what
        # balance_difference (fct_dossier_stats) subtracts
        Derived("balance_outflow", "coalesce(carried_in, 0) + received - balance_difference"),
    ),
    rules=single_table_rules("fct_dossier_stats"),
)

SURVEY_SUITE = Suite(
    name="fct_survey_satisfaction",
    table=SURVEY,
    asset_key=("marts", "fct_survey_satisfaction"),
    required=True,
    derived=(Derived("unsatisfied_forms", "forms - satisfied_forms"),),
    rules=single_table_rules("fct_survey_satisfaction"),
)

BUDGET_SUITE = Suite(
    name="fct_budget_disbursement",
    table=BUDGET,
    asset_key=("marts", "fct_budget_disbursement"),
    required=True,
    rules=single_table_rules("fct_budget_disbursement"),
)

STAFFING_SUITE = Suite(
    name="fct_staffing",
    table=STAFFING,
    asset_key=("marts", "fct_staffing"),
    required=True,
    derived=(
        Derived("quota_headroom", "quota - actual"),
        Derived("quota_excess", "actual - quota"),
    ),
    rules=single_table_rules("fct_staffing"),
)

TOTALS_SUITE = Suite(
    name="int_submitted_totals_compared",
    table=TOTALS,
    asset_key=("quality", "int_submitted_totals_compared"),
    context={"finding_key": "t.measure"},
    rules=single_table_rules("int_submitted_totals_compared"),
)

RANKINGS_SUITE = Suite(
    name="rankings",
    table=RANKINGS,
    asset_key=("marts", "rankings"),
    required=True,
    rules=single_table_rules("rankings"),
)

RAW_DOSSIERS_SUITE = Suite(
    name="raw_dossiers",
    table=RAW_DOSSIERS,
    asset_key=("raw", "dossiers"),
    source_file_from_manifest=True,
    period_label_from_dates=True,
    rules=single_table_rules("raw_dossiers"),
)

#: Ordered: the raw guard first, then the marts, the cross-table rules, the rankings last.
SUITES: list[Suite] = [
    RAW_DOSSIERS_SUITE,
    TOTALS_SUITE,
    DOSSIER_STATS_SUITE,
    SURVEY_SUITE,
    BUDGET_SUITE,
    STAFFING_SUITE,
    *CROSS_SUITES,
    LOAD_FINDINGS_SUITE,
    RANKINGS_SUITE,
]


def describe_rules(suites: list[Suite] | None = None) -> list[dict[str, Any]]:
    """The rule catalogue for docs: one dict per rule, in suite order."""
    catalogue: list[dict[str, Any]] = []
    for suite in suites if suites is not None else SUITES:
        for rule in suite.rules:
            catalogue.append(
                {
                    "suite": suite.name,
                    "rule": rule.rule,
                    "severity": rule.severity,
                    "table": rule.table,
                    "kind": rule.kind,
                    "column": rule.column,
                    "where": rule.where,
                    "summary_en": rule.summary_en,
                    "summary_vi": rule.summary_vi,
                    "message_en": rule.message_en,
                    "message_vi": rule.message_vi,
                }
            )
    return catalogue


#: rules written outside the suites (by ingest), in words (the catalogue's `ingest_rules`)
INGEST_RULES: dict[str, tuple[str, str]] = rule_words("ingest_rules")


def rule_titles(suites: list[Suite] | None = None) -> dict[str, tuple[str, str]]:
    """rule id -> (English, Vietnamese) description, for every rule that writes findings."""
    titles = dict(INGEST_RULES)
    for suite in suites if suites is not None else SUITES:
        for rule in suite.rules:
            titles.setdefault(rule.rule, (rule.summary_en, rule.summary_vi))
    return titles


_TITLES: dict[str, tuple[str, str]] = {}


def rule_title(rule: str, lang: str = "vi") -> str:
    """A rule in words (``lang`` "vi" or "en"); the rule id itself when it is not known."""
    if not _TITLES:
        _TITLES.update(rule_titles())
    en, vi = _TITLES.get(rule, (rule, rule))
    return vi if lang == "vi" else en
