"""The rule catalogue: adding a rule is adding an entry here.

Message templates may use the violating row's numeric and date columns (and derived
columns); text columns other than unit_code, period_label and source_file are masked when
rendered (see `expectations.findings`), so keep text out of templates.
"""

from __future__ import annotations

from typing import Any

from expectations.cross_suites import CROSS_SUITES
from expectations.load_suites import LOAD_FINDINGS_SUITE
from expectations.spec import Derived, Rule, Severity, Suite
from ingest.vocabulary import measure_label, terms

DOSSIER_STATS = "marts.fct_dossier_stats"
SURVEY = "marts.fct_survey_satisfaction"
BUDGET = "marts.fct_budget_disbursement"
STAFFING = "marts.fct_staffing"
TOTALS = "quality.int_submitted_totals_compared"
RANKINGS = "marts.rankings"
RAW_DOSSIERS = "raw.dossiers"

#: the codes of ingest/vocabulary.yaml (declared once)
AUTHORITY_LEVELS = tuple(terms("authority_levels"))
STAFF_CATEGORIES = tuple(terms("staff_categories"))

#: dossier columns whose measure has another name in the vocabulary: the marts'
#: resolved_on_time includes early dossiers
_DOSSIER_COLUMN_MEASURE = {"resolved_on_time": "resolved_early_or_on_time"}


def dossier_label(column: str) -> tuple[str, str]:
    """(English, Vietnamese) label of a dossier measure column, from ingest/vocabulary.yaml
    (declared once), capitalised to open a sentence."""
    measure = _DOSSIER_COLUMN_MEASURE.get(column, column)
    en, vi = measure_label(measure, "en"), measure_label(measure, "vi")
    return en[:1].upper() + en[1:], vi[:1].upper() + vi[1:]


def _in_sentence(label: str) -> str:
    """A label inside a sentence ("Số hồ sơ đã giải quyết" → "số hồ sơ đã giải quyết")."""
    return label[:1].lower() + label[1:]


#: column -> (English label, Vietnamese label); dossier measures come from the vocabulary
LABELS: dict[str, tuple[str, str]] = {
    **{column: dossier_label(column) for column in terms("dossier_measures")},
    "on_time_rate": ("On-time rate", "Tỷ lệ đúng hạn"),
    "late_rate": ("Late rate", "Tỷ lệ trễ hạn"),
    "resolution_rate": ("Resolution rate", "Tỷ lệ giải quyết"),
    "satisfaction_rate": ("Satisfaction rate", "Tỷ lệ hài lòng"),
    "plan_mvnd": ("Allocated plan (million VND)", "Kế hoạch vốn giao (triệu đồng)"),
    "disbursed_mvnd": ("Disbursed (million VND)", "Giải ngân (triệu đồng)"),
    "quota": ("Staffing quota", "Biên chế được giao"),
    "actual": ("Actual staff", "Số người thực tế"),
    "score": ("Score", "Điểm"),
}

DOSSIER_COUNTS = (
    "carried_in",
    "received",
    "received_online",
    "received_postal",
    "resolved",
    "resolved_early",
    "resolved_on_time",
    "resolved_late",
    "pending",
    "pending_not_due",
    "pending_overdue",
)
RAW_DOSSIER_COUNTS = tuple(c for c in DOSSIER_COUNTS if c != "pending")
# Shares of resolved dossiers lie within 0-100 %. The resolution rate (resolved over
# received, as the reports define it) may exceed 100 % when dossiers carried in from the
# previous period are resolved; only its sign is checked (the balance rule covers the rest).
DOSSIER_RATES = ("on_time_rate", "late_rate")
NOT_TOTAL_ROW = "NOT coalesce(is_total_row, false)"
#: carried in + received = resolved + pending + waiting for supplements + withdrawn + stopped
BALANCE_IN = ("carried_in", "received")
BALANCE_OUT = ("resolved", "pending", "waiting_supplement", "withdrawn", "stopped")


def _balance_terms(columns: tuple[str, ...], lang: str, values: bool) -> str:
    index = 0 if lang == "en" else 1
    return " + ".join(
        _in_sentence(dossier_label(c)[index]) + (f" {{{c}}}" if values else "") for c in columns
    )


def non_negative(table: str, column: str, *, rule: str | None = None, where: str | None = None) -> Rule:
    en, vi = LABELS[column]
    return Rule(
        rule=rule or f"{column}_non_negative",
        severity="error",
        table=table,
        kind="between",
        column=column,
        min=0,
        where=where,
        summary_en=f"{en} must not be negative",
        summary_vi=f"{vi} không được âm",
        message_en=f"{en} is negative: {{{column}}}",
        message_vi=f"{vi} là số âm: {{{column}}}",
    )


def within_0_100(table: str, column: str, *, rule: str | None = None) -> Rule:
    en, vi = LABELS[column]
    return Rule(
        rule=rule or f"{column}_within_0_100",
        severity="error",
        table=table,
        kind="between",
        column=column,
        min=0,
        max=100,
        summary_en=f"{en} must be within 0–100 %",
        summary_vi=f"{vi} phải nằm trong khoảng 0–100%",
        message_en=f"{en} {{{column}}} % is outside 0–100 %",
        message_vi=f"{vi} {{{column}}}% nằm ngoài khoảng 0–100%",
    )


def unit_code_not_null(table: str, rule: str) -> Rule:
    return Rule(
        rule=rule,
        severity="error",
        table=table,
        kind="not_null",
        column="unit_code",
        summary_en="Every row must have a unit code",
        summary_vi="Mỗi dòng phải có mã đơn vị",
        message_en="The unit code is missing",
        message_vi="Thiếu mã đơn vị",
    )


def adds_up(table: str, rule: str, column: str, message_en: str, message_vi: str, **kw: Any) -> Rule:
    severity: Severity = kw.pop("severity", "warn")
    return Rule(
        rule=rule,
        severity=severity,
        table=table,
        kind="equals_zero",
        column=column,
        message_en=message_en,
        message_vi=message_vi,
        **kw,
    )


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
    rules=[
        *(non_negative(DOSSIER_STATS, c) for c in DOSSIER_COUNTS),
        *(within_0_100(DOSSIER_STATS, c) for c in DOSSIER_RATES),
        non_negative(DOSSIER_STATS, "resolution_rate"),
        unit_code_not_null(DOSSIER_STATS, "dossier_stats_unit_code_not_null"),
        Rule(
            rule="authority_level_valid",
            severity="error",
            table=DOSSIER_STATS,
            kind="in_set",
            column="authority_level",
            value_set=AUTHORITY_LEVELS,
            summary_en="The authority level must be tinh, huyen or xa",
            summary_vi="Cấp giải quyết phải là tinh, huyen hoặc xa",
            message_en="The authority level is not one of tinh, huyen, xa",
            message_vi="Cấp giải quyết không thuộc tinh, huyen, xa",
        ),
        Rule(
            rule="period_end_not_before_start",
            severity="error",
            table=DOSSIER_STATS,
            kind="between",
            column="period_length_days",
            min=0,
            summary_en="A period must not end before it starts",
            summary_vi="Kỳ báo cáo không được kết thúc trước ngày bắt đầu",
            message_en="The period ends on {period_end}, before it starts on {period_start}",
            message_vi="Kỳ báo cáo kết thúc ngày {period_end}, trước ngày bắt đầu {period_start}",
        ),
        adds_up(
            DOSSIER_STATS,
            "dossier_balance_adds_up",
            "balance_difference",
            summary_en=(
                f"{dossier_label('carried_in')[0]} + {_balance_terms(BALANCE_IN[1:], 'en', False)}"
                f" must equal {_balance_terms(BALANCE_OUT, 'en', False)}"
                " (an empty measure counts as 0)"
            ),
            summary_vi=(
                f"{dossier_label('carried_in')[1]} + {_balance_terms(BALANCE_IN[1:], 'vi', False)}"
                f" phải bằng {_balance_terms(BALANCE_OUT, 'vi', False)}"
                " (chỉ tiêu để trống tính là 0)"
            ),
            message_en=(
                f"{dossier_label('carried_in')[0]} {{carried_in}} +"
                f" {_balance_terms(BALANCE_IN[1:], 'en', True)} = {{balance_inflow}}, but"
                f" {_balance_terms(BALANCE_OUT, 'en', True)} = {{balance_outflow}}"
                " (difference {balance_difference}; an empty measure counts as 0)"
            ),
            message_vi=(
                f"{dossier_label('carried_in')[1]} {{carried_in}} +"
                f" {_balance_terms(BALANCE_IN[1:], 'vi', True)} = {{balance_inflow}}, nhưng"
                f" {_balance_terms(BALANCE_OUT, 'vi', True)} = {{balance_outflow}}"
                " (chênh lệch {balance_difference}; chỉ tiêu để trống tính là 0)"
            ),
        ),
        adds_up(
            DOSSIER_STATS,
            "resolved_parts_add_up",
            "resolved_parts_difference",
            summary_en="Resolved must equal resolved on time (incl. early) + resolved late",
            summary_vi="Đã giải quyết phải bằng đúng hạn (gồm trước hạn) + trễ hạn",
            message_en=(
                "Resolved {resolved} ≠ on time {resolved_on_time} + late {resolved_late}"
                " (difference {resolved_parts_difference})"
            ),
            message_vi=(
                "Đã giải quyết {resolved} ≠ đúng hạn {resolved_on_time} + trễ hạn {resolved_late}"
                " (chênh lệch {resolved_parts_difference})"
            ),
        ),
        adds_up(
            DOSSIER_STATS,
            "pending_parts_add_up",
            "pending_parts_difference",
            summary_en="Pending must equal pending not yet due + pending overdue",
            summary_vi="Đang giải quyết phải bằng chưa đến hạn + quá hạn",
            message_en=(
                "Pending {pending} ≠ not yet due {pending_not_due} + overdue {pending_overdue}"
                " (difference {pending_parts_difference})"
            ),
            message_vi=(
                "Đang giải quyết {pending} ≠ chưa đến hạn {pending_not_due} + quá hạn"
                " {pending_overdue} (chênh lệch {pending_parts_difference})"
            ),
        ),
    ],
)

SURVEY_SUITE = Suite(
    name="fct_survey_satisfaction",
    table=SURVEY,
    asset_key=("marts", "fct_survey_satisfaction"),
    required=True,
    derived=(Derived("unsatisfied_forms", "forms - satisfied_forms"),),
    rules=[
        Rule(
            rule="satisfied_forms_not_above_forms",
            severity="error",
            table=SURVEY,
            kind="between",
            column="unsatisfied_forms",
            min=0,
            summary_en="Satisfied forms must not exceed the forms collected",
            summary_vi="Số phiếu hài lòng không được lớn hơn tổng số phiếu",
            message_en="Satisfied forms {satisfied_forms} exceed the forms collected {forms}",
            message_vi="Số phiếu hài lòng {satisfied_forms} lớn hơn tổng số phiếu {forms}",
        ),
        within_0_100(SURVEY, "satisfaction_rate"),
    ],
)

BUDGET_SUITE = Suite(
    name="fct_budget_disbursement",
    table=BUDGET,
    asset_key=("marts", "fct_budget_disbursement"),
    required=True,
    rules=[
        non_negative(BUDGET, "plan_mvnd"),
        non_negative(BUDGET, "disbursed_mvnd"),
        Rule(
            rule="disbursed_not_above_plan",
            severity="warn",
            table=BUDGET,
            kind="between",
            column="disbursement_rate",
            max=100,
            summary_en="Disbursed above plan",
            summary_vi="Giải ngân vượt kế hoạch vốn giao",
            message_en=(
                "Disbursed above plan: {disbursed_mvnd} of {plan_mvnd} million VND ({disbursement_rate} %)"
            ),
            message_vi=(
                "Giải ngân vượt kế hoạch: {disbursed_mvnd} trên {plan_mvnd} triệu đồng ({disbursement_rate}%)"
            ),
        ),
        Rule(
            rule="disbursement_rate_at_most_150",
            severity="error",
            table=BUDGET,
            kind="between",
            column="disbursement_rate",
            max=150,
            summary_en="A disbursement rate above 150 % is implausible",
            summary_vi="Tỷ lệ giải ngân trên 150% là bất thường",
            message_en=(
                "Disbursement rate {disbursement_rate} % is above 150 % (disbursed"
                " {disbursed_mvnd}, plan {plan_mvnd} million VND): check units and figures"
            ),
            message_vi=(
                "Tỷ lệ giải ngân {disbursement_rate}% vượt 150% (giải ngân {disbursed_mvnd},"
                " kế hoạch {plan_mvnd} triệu đồng): kiểm tra lại đơn vị tính và số liệu"
            ),
        ),
    ],
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
    rules=[
        non_negative(STAFFING, "quota"),
        non_negative(STAFFING, "actual"),
        Rule(
            rule="actual_staff_within_quota",
            severity="warn",
            table=STAFFING,
            kind="between",
            column="quota_headroom",
            min=0,
            summary_en="Actual staff above quota",
            summary_vi="Số người thực tế vượt biên chế được giao",
            message_en=("Actual staff {actual} above quota {quota} by {quota_excess} (as of {as_of_date})"),
            message_vi=(
                "Số người thực tế {actual} vượt biên chế được giao {quota} là {quota_excess}"
                " (tại ngày {as_of_date})"
            ),
        ),
        Rule(
            rule="staff_category_valid",
            severity="error",
            table=STAFFING,
            kind="in_set",
            column="category",
            value_set=STAFF_CATEGORIES,
            summary_en="The staff category must be one of " + ", ".join(STAFF_CATEGORIES),
            summary_vi="Loại cán bộ phải thuộc " + ", ".join(STAFF_CATEGORIES),
            message_en="The staff category is not one of " + ", ".join(STAFF_CATEGORIES),
            message_vi="Loại cán bộ không thuộc " + ", ".join(STAFF_CATEGORIES),
        ),
    ],
)

TOTALS_SUITE = Suite(
    name="int_submitted_totals_compared",
    table=TOTALS,
    asset_key=("quality", "int_submitted_totals_compared"),
    context={"finding_key": "t.measure"},
    rules=[
        adds_up(
            TOTALS,
            "stated_total_matches_parts",
            "difference",
            summary_en="A stated total must equal the sum of its parts",
            summary_vi="Dòng tổng cộng phải bằng tổng các dòng chi tiết",
            message_en=(
                "Stated total {stated_total} but the parts add up to {sum_of_parts} (difference {difference})"
            ),
            message_vi=(
                "Tổng cộng ghi {stated_total} nhưng cộng các dòng chi tiết được {sum_of_parts}"
                " (chênh lệch {difference})"
            ),
        ),
    ],
)

RANKINGS_SUITE = Suite(
    name="rankings",
    table=RANKINGS,
    asset_key=("marts", "rankings"),
    required=True,
    rules=[
        within_0_100(RANKINGS, "score", rule="ranking_score_within_0_100"),
        Rule(
            rule="ranking_rank_at_least_1",
            severity="error",
            table=RANKINGS,
            kind="between",
            column="rank",
            min=1,
            summary_en="A rank must be 1 or more",
            summary_vi="Thứ hạng phải từ 1 trở lên",
            message_en="Rank {rank} is below 1",
            message_vi="Thứ hạng {rank} nhỏ hơn 1",
        ),
        unit_code_not_null(RANKINGS, "ranking_unit_code_not_null"),
    ],
)

RAW_DOSSIERS_SUITE = Suite(
    name="raw_dossiers",
    table=RAW_DOSSIERS,
    asset_key=("raw", "dossiers"),
    source_file_from_manifest=True,
    period_label_from_dates=True,
    rules=[
        non_negative(RAW_DOSSIERS, c, rule=f"raw_dossiers_{c}_non_negative", where=NOT_TOTAL_ROW)
        for c in RAW_DOSSIER_COUNTS
    ],
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


#: rules written outside the suites (by ingest), in words
INGEST_RULES: dict[str, tuple[str, str]] = {
    "file_rejected": (
        "A submitted file was rejected (none of its rows were loaded)",
        "Tệp nộp bị từ chối (không dòng nào của tệp được nạp)",
    ),
    "same_night_version_replaced": (
        "A later version of the same submission, received the same night, replaced this one",
        "Bản nộp sau của cùng báo cáo, nhận trong cùng đêm, đã thay thế bản này",
    ),
}


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
