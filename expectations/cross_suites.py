"""Cross-table rules: each suite computes a relation in DuckDB SQL (materialised as a temp
table by the runner), and its rules validate that relation with GX like any other suite.

The relations would be natural dbt models (see the report of issue #5); they live here
until the dbt project takes them over, with the same SQL.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

from expectations.spec import Rule, Suite

DOSSIER_STATS = "marts.fct_dossier_stats"
SURVEY = "marts.fct_survey_satisfaction"
BUDGET = "marts.fct_budget_disbursement"
STAFFING = "marts.fct_staffing"
UNITS = "marts.dim_admin_units"
MANIFEST = "raw.file_manifest"
CARRIED_IN = "intermediate.int_dossier_carried_in_compared"
FACTS = (DOSSIER_STATS, SURVEY, BUDGET, STAFFING)

#: days after a period's end by which its file must have been loaded (unset: rule off)
DEADLINE_ENV = "PARWH_SUBMISSION_DEADLINE_DAYS"
#: robust z-score beyond which a yearly count is an anomaly (Iglewicz & Hoaglin: 3.5)
ANOMALY_Z = 3.5
ANOMALY_MIN_HISTORY = 3

_FAMILY_VI = (
    "CASE source_family WHEN 'dossiers' THEN 'hồ sơ TTHC' WHEN 'surveys' THEN 'khảo sát'"
    " WHEN 'budget' THEN 'giải ngân' WHEN 'staff' THEN 'biên chế' ELSE source_family END"
)
_YTD = "period_start = make_date(year(period_end), 1, 1)"

# --- (a) year-to-date figures do not shrink later in the same year --------------------------

YTD_DOSSIERS_QUERY = f"""
SELECT unit_code, authority_level, period_label, period_start, period_end, received, resolved,
       source_file, source_row,
       lag(period_label) OVER w AS previous_period_label,
       lag(received) OVER w AS previous_received,
       lag(resolved) OVER w AS previous_resolved,
       received - lag(received) OVER w AS received_change,
       resolved - lag(resolved) OVER w AS resolved_change
FROM {DOSSIER_STATS}
WHERE unit_code IS NOT NULL AND {_YTD}
WINDOW w AS (PARTITION BY unit_code, authority_level, year(period_end) ORDER BY period_end)
"""

YTD_BUDGET_QUERY = f"""
SELECT unit_code, fiscal_year, as_of_date, period_label, disbursed_mvnd, source_file, source_row,
       lag(as_of_date) OVER w AS previous_as_of_date,
       lag(disbursed_mvnd) OVER w AS previous_disbursed_mvnd,
       disbursed_mvnd - lag(disbursed_mvnd) OVER w AS disbursed_change
FROM {BUDGET}
WHERE unit_code IS NOT NULL
WINDOW w AS (PARTITION BY unit_code, fiscal_year ORDER BY as_of_date)
"""


def _ytd_rule(table: str, measure: str, en: str, vi: str, previous_period: str) -> Rule:
    return Rule(
        rule=f"ytd_{measure}_not_shrinking",
        severity="warn",
        table=table,
        kind="between",
        column=f"{measure}_change",
        min=0,
        summary_en=f"A year-to-date {en} figure must not shrink later in the same year",
        summary_vi=f"Số {vi} lũy kế từ đầu năm không được giảm ở kỳ sau trong cùng năm",
        message_en=(
            f"Year-to-date {en} fell from {{previous_{measure}}} ({previous_period}) to"
            f" {{{measure}}} (change {{{measure}_change}})"
        ),
        message_vi=(
            f"Số {vi} lũy kế giảm từ {{previous_{measure}}} ({previous_period}) xuống"
            f" {{{measure}}} (thay đổi {{{measure}_change}})"
        ),
    )


YTD_DOSSIERS_SUITE = Suite(
    name="ytd_dossiers",
    table=DOSSIER_STATS,
    asset_key=("marts", "fct_dossier_stats"),
    query=YTD_DOSSIERS_QUERY,
    text_columns=("previous_period_label",),
    rules=[
        _ytd_rule(DOSSIER_STATS, m, en, vi, "{previous_period_label}")
        for m, en, vi in (
            ("received", "received dossiers", "hồ sơ tiếp nhận"),
            ("resolved", "resolved dossiers", "hồ sơ đã giải quyết"),
        )
    ],
)

YTD_BUDGET_SUITE = Suite(
    name="ytd_budget",
    table=BUDGET,
    asset_key=("marts", "fct_budget_disbursement"),
    query=YTD_BUDGET_QUERY,
    rules=[
        Rule(
            rule="ytd_disbursed_not_shrinking",
            severity="warn",
            table=BUDGET,
            kind="between",
            column="disbursed_change",
            min=0,
            summary_en="Cumulative disbursement must not shrink later in the same fiscal year",
            summary_vi="Giải ngân lũy kế không được giảm ở kỳ sau trong cùng năm ngân sách",
            message_en=(
                "Cumulative disbursement fell from {previous_disbursed_mvnd} (as of"
                " {previous_as_of_date}) to {disbursed_mvnd} million VND (as of {as_of_date})"
            ),
            message_vi=(
                "Giải ngân lũy kế giảm từ {previous_disbursed_mvnd} (đến ngày"
                " {previous_as_of_date}) xuống {disbursed_mvnd} triệu đồng (đến ngày {as_of_date})"
            ),
        )
    ],
)

# --- (b) parts add up across levels: a unit's row against the rows of its children ---------

ACROSS_LEVELS_QUERY = f"""
WITH f AS (
    SELECT * FROM {DOSSIER_STATS} WHERE unit_code IS NOT NULL
),
children AS (
    SELECT u.parent_code AS unit_code, f.authority_level, f.period_start, f.period_end,
           count(*) AS child_rows, sum(f.received) AS received, sum(f.resolved) AS resolved,
           sum(f.resolved_late) AS resolved_late
    FROM f JOIN {UNITS} AS u ON u.unit_code = f.unit_code
    WHERE u.parent_code IS NOT NULL
    GROUP BY ALL
),
compared AS (
    SELECT p.unit_code, p.authority_level, p.period_label, p.source_file, p.source_row,
           c.child_rows, m.measure, m.stated_total, m.sum_of_children
    FROM f AS p
    JOIN children AS c USING (unit_code, authority_level, period_start, period_end)
    CROSS JOIN LATERAL (
        VALUES ('received', p.received, c.received),
               ('resolved', p.resolved, c.resolved),
               ('resolved_late', p.resolved_late, c.resolved_late)
    ) AS m(measure, stated_total, sum_of_children)
    WHERE m.stated_total IS NOT NULL AND m.sum_of_children IS NOT NULL
      -- only where every child valid in the period submitted (completeness reports the rest)
      AND c.child_rows = (
          SELECT count(*) FROM {UNITS} AS k
          WHERE k.parent_code = p.unit_code
            AND (k.valid_from IS NULL OR k.valid_from <= p.period_start)
            AND (k.valid_to IS NULL OR k.valid_to >= p.period_end)
      )
)
SELECT *, stated_total - sum_of_children AS difference,
       CASE measure WHEN 'received' THEN 'tiếp nhận' WHEN 'resolved' THEN 'đã giải quyết'
            ELSE 'trễ hạn' END AS measure_vi
FROM compared
"""

ACROSS_LEVELS_SUITE = Suite(
    name="parts_across_levels",
    table=DOSSIER_STATS,
    asset_key=("marts", "fct_dossier_stats"),
    query=ACROSS_LEVELS_QUERY,
    requires=(UNITS,),
    text_columns=("measure", "measure_vi"),
    context={"finding_key": "t.measure"},
    rules=[
        Rule(
            rule="unit_total_matches_children",
            severity="warn",
            table=DOSSIER_STATS,
            kind="equals_zero",
            column="difference",
            summary_en="A unit's submitted figure must equal the sum of its children's",
            summary_vi="Số liệu của đơn vị phải bằng tổng số liệu các đơn vị trực thuộc",
            message_en=(
                "{measure}: the unit states {stated_total} but its {child_rows} subordinate"
                " units add up to {sum_of_children} (difference {difference})"
            ),
            message_vi=(
                "{measure_vi}: đơn vị báo cáo {stated_total} nhưng {child_rows} đơn vị trực thuộc"
                " cộng lại được {sum_of_children} (chênh lệch {difference})"
            ),
        )
    ],
)

# --- (c) every unit code exists and was valid on the period's dates ------------------------

UNIT_VALIDITY_QUERY = f"""
WITH facts AS (
    SELECT 'dossiers' AS source_family, unit_code, period_label, period_start, period_end,
           source_file, source_row FROM {DOSSIER_STATS}
    UNION ALL
    SELECT 'surveys', unit_code, period_label, period_start, period_end, source_file, source_row
    FROM {SURVEY}
    UNION ALL
    SELECT 'budget', unit_code, period_label, make_date(fiscal_year, 1, 1), as_of_date,
           source_file, source_row FROM {BUDGET}
    UNION ALL
    SELECT 'staff', unit_code, strftime(as_of_date, '%Y-%m-%d'), as_of_date, as_of_date,
           source_file, source_row FROM {STAFFING}
),
checked AS (
    SELECT f.*, u.valid_from, u.valid_to,
           CASE WHEN u.unit_code IS NULL THEN 'unknown'
                WHEN u.valid_from IS NOT NULL AND f.period_start < u.valid_from THEN 'not_yet_valid'
                WHEN u.valid_to IS NOT NULL AND f.period_end > u.valid_to THEN 'no_longer_valid'
                ELSE 'valid' END AS unit_status
    FROM facts AS f LEFT JOIN {UNITS} AS u ON u.unit_code = f.unit_code
    WHERE f.unit_code IS NOT NULL
)
SELECT *, {_FAMILY_VI} AS family_vi,
       CASE unit_status
            WHEN 'unknown' THEN 'is not in dim_admin_units'
            WHEN 'not_yet_valid' THEN 'was not yet valid (valid from ' || valid_from || ')'
            WHEN 'no_longer_valid' THEN 'was no longer valid (valid until ' || valid_to || ')'
            ELSE 'is valid' END AS problem_en,
       CASE unit_status
            WHEN 'unknown' THEN 'không có trong danh mục đơn vị hành chính'
            WHEN 'not_yet_valid' THEN 'chưa có hiệu lực (hiệu lực từ '
                 || strftime(valid_from, '%d/%m/%Y') || ')'
            WHEN 'no_longer_valid' THEN 'đã hết hiệu lực (đến '
                 || strftime(valid_to, '%d/%m/%Y') || ')'
            ELSE 'hợp lệ' END AS problem_vi
FROM checked
"""

UNIT_VALIDITY_SUITE = Suite(
    name="unit_codes_valid",
    table=UNITS,
    asset_key=("marts", "dim_admin_units"),
    query=UNIT_VALIDITY_QUERY,
    requires=FACTS,
    text_columns=("source_family", "family_vi", "problem_en", "problem_vi"),
    context={"finding_key": "t.source_family"},
    rules=[
        Rule(
            rule="unit_code_valid_for_period",
            severity="error",
            table=UNITS,
            kind="in_set",
            column="unit_status",
            value_set=("valid",),
            summary_en="Every unit code must exist and be valid on the period's dates",
            summary_vi="Mã đơn vị phải có trong danh mục và còn hiệu lực trong kỳ báo cáo",
            message_en=("Unit {unit_code} ({source_family}, {period_start} to {period_end}) {problem_en}"),
            message_vi=("Đơn vị {unit_code} ({family_vi}, từ {period_start} đến {period_end}) {problem_vi}"),
        )
    ],
)

# --- (d) completeness (reporting rate) and timeliness ---------------------------------------

#: missing units named in a completeness message; the finding's `details` lists them all
COMPLETENESS_NAMED = 10

COMPLETENESS_QUERY = f"""
WITH submitted AS (
    SELECT DISTINCT 'dossiers' AS source_family, year(period_end) AS year, unit_code
    FROM {DOSSIER_STATS}
    UNION SELECT 'surveys', year(period_end), unit_code FROM {SURVEY}
    UNION SELECT 'budget', fiscal_year, unit_code FROM {BUDGET}
    UNION SELECT 'staff', year(as_of_date), unit_code FROM {STAFFING}
),
units AS (
    SELECT unit_code, unit_name, unit_kind, parent_code, valid_from, valid_to,
           CASE WHEN unit_kind = 'province' THEN unit_code ELSE province_code END AS province_code
    FROM {UNITS}
),
scope AS (
    -- the provinces that submitted anything for a family and year
    SELECT s.source_family, s.year, u.province_code,
           bool_or(u.unit_kind = 'commune') AS communes_submitted
    FROM submitted AS s JOIN units AS u USING (unit_code)
    WHERE s.year IS NOT NULL AND u.province_code IS NOT NULL
    GROUP BY ALL
),
expected AS (
    SELECT sc.source_family, sc.year, sc.province_code, u.unit_code, u.unit_name, u.unit_kind,
           u.parent_code
    FROM scope AS sc JOIN units AS u ON u.province_code = sc.province_code
    WHERE (u.unit_kind = 'district'
           OR (u.unit_kind = 'commune' AND sc.communes_submitted
               AND sc.source_family IN ('dossiers', 'surveys')))
      AND (u.valid_from IS NULL OR u.valid_from <= make_date(sc.year, 12, 31))
      AND (u.valid_to IS NULL OR u.valid_to >= make_date(sc.year, 1, 1))
),
marked AS (
    SELECT e.*, s.unit_code IS NOT NULL AS is_submitted
    FROM expected AS e
    LEFT JOIN submitted AS s USING (source_family, year, unit_code)
),
missing AS (
    -- districts first, then communes by district; a commune is named with its district
    SELECT m.source_family, m.year, m.province_code, m.unit_code, m.unit_kind, m.parent_code,
           coalesce(m.unit_name, m.unit_code) AS unit_name, p.unit_name AS parent_name,
           coalesce(m.unit_name, m.unit_code)
               || CASE WHEN m.unit_kind = 'commune' AND p.unit_name IS NOT NULL
                       THEN ' (' || p.unit_name || ')' ELSE '' END AS shown_name,
           row_number() OVER (
               PARTITION BY m.source_family, m.year, m.province_code
               ORDER BY m.unit_kind <> 'district', p.unit_name, m.unit_name, m.unit_code
           ) AS position
    FROM marked AS m LEFT JOIN units AS p ON p.unit_code = m.parent_code
    WHERE NOT m.is_submitted
),
missing_lists AS (
    SELECT source_family, year, province_code,
           string_agg(shown_name, ', ' ORDER BY position)
               FILTER (WHERE position <= {COMPLETENESS_NAMED}) AS named,
           list({{'unit_code': unit_code, 'unit_name': unit_name, 'unit_kind': unit_kind,
                  'parent_code': parent_code, 'parent_name': parent_name}} ORDER BY position)
               AS missing_units
    FROM missing GROUP BY ALL
),
rates AS (
    SELECT source_family, year, province_code, count(*) AS expected_units,
           count(*) FILTER (WHERE is_submitted) AS reported_units
    FROM marked GROUP BY ALL
),
final AS (
    SELECT r.province_code AS unit_code, coalesce(pu.unit_name, r.province_code) AS province_name,
           r.source_family, CAST(r.year AS VARCHAR) AS period_label, r.expected_units,
           r.reported_units, r.expected_units - r.reported_units AS units_missing,
           100.0 * r.reported_units / r.expected_units AS reporting_rate,
           coalesce(l.named, '') AS named,
           l.missing_units
    FROM rates AS r
    LEFT JOIN missing_lists AS l USING (source_family, year, province_code)
    LEFT JOIN units AS pu ON pu.unit_code = r.province_code
)
SELECT unit_code, province_name, source_family, {_FAMILY_VI} AS family_vi, period_label,
       expected_units, reported_units, units_missing, reporting_rate,
       named || CASE WHEN units_missing > {COMPLETENESS_NAMED}
                     THEN ', … and ' || (units_missing - {COMPLETENESS_NAMED})
                          || ' more (every unit: column details)' ELSE '' END AS missing_names_en,
       named || CASE WHEN units_missing > {COMPLETENESS_NAMED}
                     THEN ', … và ' || (units_missing - {COMPLETENESS_NAMED})
                          || ' đơn vị khác (danh sách đầy đủ: cột details)' ELSE '' END
           AS missing_names_vi,
       CASE WHEN units_missing > 0 THEN CAST(to_json({{
           'province_code': unit_code, 'province_name': province_name,
           'source_family': source_family, 'period_label': period_label,
           'expected_units': expected_units, 'reported_units': reported_units,
           'reporting_rate_percent': round(reporting_rate, 2), 'missing_units': missing_units
       }}) AS VARCHAR) END AS details
FROM final
"""

COMPLETENESS_SUITE = Suite(
    name="submission_completeness",
    table=UNITS,
    asset_key=("marts", "dim_admin_units"),
    query=COMPLETENESS_QUERY,
    requires=FACTS,
    # names come from the official unit list (dim_admin_units), never from submitted text
    text_columns=(
        "source_family",
        "family_vi",
        "province_name",
        "missing_names_en",
        "missing_names_vi",
    ),
    context={"finding_key": "t.source_family"},
    details_column="details",
    rules=[
        Rule(
            rule="unit_submitted_every_family",
            severity="warn",
            table=UNITS,
            kind="equals_zero",
            column="units_missing",
            summary_en=(
                "Every expected unit submits each source family every year (one finding per"
                " province, year and source, naming the units that did not)"
            ),
            summary_vi=(
                "Mọi đơn vị phải nộp đủ từng loại báo cáo hằng năm (mỗi tỉnh, năm và loại báo"
                " cáo một phát hiện, nêu tên các đơn vị chưa nộp)"
            ),
            message_en=(
                "{province_name}: {units_missing} of {expected_units} units submitted no"
                " {source_family} data for {period_label} (reporting rate {reporting_rate} %,"
                " {reported_units} of {expected_units}): {missing_names_en}"
            ),
            message_vi=(
                "{province_name}: thiếu số liệu {family_vi} năm {period_label} của"
                " {units_missing}/{expected_units} đơn vị (tỷ lệ nộp {reporting_rate} %,"
                " {reported_units}/{expected_units} đơn vị): {missing_names_vi}"
            ),
        )
    ],
)


def deadline_params() -> Sequence[Any] | None:
    """[days] from PARWH_SUBMISSION_DEADLINE_DAYS; None (rule off) when unset."""
    text = os.environ.get(DEADLINE_ENV, "").strip()
    if not text:
        return None
    days = int(text)
    if days < 0:
        raise ValueError(f"{DEADLINE_ENV} must be 0 or more, got {days}")
    return [days]


TIMELINESS_QUERY = f"""
WITH params AS (SELECT CAST(? AS INTEGER) AS deadline_days),
ends AS (
    SELECT file_id, max(period_end) AS period_end FROM raw.dossiers GROUP BY file_id
    UNION ALL SELECT file_id, max(period_end) FROM raw.surveys GROUP BY file_id
    UNION ALL SELECT file_id, max(as_of_date) FROM raw.staff GROUP BY file_id
    UNION ALL SELECT file_id, max(as_of_date) FROM raw.budget GROUP BY file_id
    UNION ALL SELECT file_id, last_day(max(received_at)) FROM raw.dossier_records GROUP BY file_id
),
files AS (
    SELECT file_id, any_value(file_name) AS source_file, any_value(source_family) AS source_family,
           CAST(min(loaded_at) AS DATE) AS loaded_on
    FROM {MANIFEST} WHERE status = 'loaded' GROUP BY file_id
)
SELECT f.source_file, f.source_family, {_FAMILY_VI} AS family_vi, f.loaded_on,
       e.period_end, p.deadline_days,
       CAST(e.period_end + to_days(p.deadline_days) AS DATE) AS deadline,
       date_diff('day', CAST(e.period_end + to_days(p.deadline_days) AS DATE), f.loaded_on)
           AS days_late
FROM files AS f
JOIN (SELECT file_id, max(period_end) AS period_end FROM ends GROUP BY file_id) AS e USING (file_id)
CROSS JOIN params AS p
"""

TIMELINESS_SUITE = Suite(
    name="submission_timeliness",
    table=MANIFEST,
    asset_key=("raw", "file_manifest"),
    query=TIMELINESS_QUERY,
    query_params=deadline_params,
    requires=("raw.dossiers", "raw.surveys", "raw.staff", "raw.budget", "raw.dossier_records"),
    text_columns=("source_family", "family_vi"),
    rules=[
        Rule(
            rule="submitted_by_deadline",
            severity="warn",
            table=MANIFEST,
            kind="between",
            column="days_late",
            max=0,
            summary_en="A file must arrive by the deadline after its period ends",
            summary_vi="Báo cáo phải được nộp đúng hạn sau khi kết thúc kỳ báo cáo",
            message_en=(
                "{source_family} data for the period ending {period_end} was loaded on"
                " {loaded_on}, {days_late} days after the deadline {deadline}"
                " ({deadline_days} days after the period end)"
            ),
            message_vi=(
                "Số liệu {family_vi} kỳ kết thúc ngày {period_end} được nạp ngày {loaded_on},"
                " trễ {days_late} ngày so với hạn {deadline} ({deadline_days} ngày sau khi hết kỳ)"
            ),
        )
    ],
)

# --- (e) anomalies against the unit's own history -------------------------------------------

ANOMALY_QUERY = f"""
WITH yearly AS (
    SELECT unit_code, authority_level, year(period_end) AS year, period_label, received,
           source_file, source_row
    FROM {DOSSIER_STATS}
    WHERE unit_code IS NOT NULL AND received IS NOT NULL
      AND period_start = make_date(year(period_end), 1, 1)
      AND period_end = make_date(year(period_end), 12, 31)
),
history AS (
    SELECT y.unit_code, y.authority_level, y.year, count(*) AS history_periods,
           CAST(median(h.received) AS DOUBLE) AS history_median,
           CAST(mad(h.received) AS DOUBLE) AS history_mad,
           string_agg(h.period_label || ': ' || h.received, ', ' ORDER BY h.year) AS history
    FROM yearly AS y
    JOIN yearly AS h
      ON h.unit_code = y.unit_code AND h.authority_level = y.authority_level AND h.year < y.year
    GROUP BY ALL
    HAVING count(*) >= {ANOMALY_MIN_HISTORY}
)
SELECT y.*, h.history_periods, h.history_median, h.history_mad, h.history,
       -- MAD floored at 5 % of the median (and 1) so that a flat history is not infinitely strict
       0.6745 * (y.received - h.history_median)
           / greatest(h.history_mad, 0.05 * abs(h.history_median), 1.0) AS robust_z
FROM yearly AS y JOIN history AS h USING (unit_code, authority_level, year)
"""

ANOMALY_SUITE = Suite(
    name="received_anomalies",
    table=DOSSIER_STATS,
    asset_key=("marts", "fct_dossier_stats"),
    query=ANOMALY_QUERY,
    text_columns=("history",),
    rules=[
        Rule(
            rule="received_within_unit_history",
            severity="warn",
            table=DOSSIER_STATS,
            kind="between",
            column="robust_z",
            min=-ANOMALY_Z,
            max=ANOMALY_Z,
            summary_en=(
                "A unit's yearly received dossiers stay within its own history"
                f" (robust z-score within ±{ANOMALY_Z}, at least {ANOMALY_MIN_HISTORY} years)"
            ),
            summary_vi=(
                "Số hồ sơ tiếp nhận hằng năm của đơn vị không lệch bất thường so với các năm"
                f" trước (chỉ số z bền vững trong ±{ANOMALY_Z}, ít nhất {ANOMALY_MIN_HISTORY} năm)"
            ),
            message_en=(
                "Received {received} in {period_label} departs from the unit's history"
                " ({history}; median {history_median}, MAD {history_mad}): robust z {robust_z},"
                f" threshold ±{ANOMALY_Z}"
            ),
            message_vi=(
                "Tiếp nhận {received} năm {period_label} lệch bất thường so với các năm trước"
                " ({history}; trung vị {history_median}, MAD {history_mad}): z = {robust_z},"
                f" ngưỡng ±{ANOMALY_Z}"
            ),
        )
    ],
)

# --- (f) continuity: carried in at a period's start = pending at the previous period's end --

# The comparisons are the dbt model int_dossier_carried_in_compared (engine-neutral SQL, built
# with the dossiers); the query only adds the wording of the comparison's scope, computed from
# codes and row numbers (field names are submitted text: never in messages).
CARRIED_IN_QUERY = f"""
SELECT *,
       CASE authority_level WHEN 'tinh' THEN 'province level' WHEN 'huyen' THEN 'district level'
            WHEN 'xa' THEN 'commune level' ELSE 'level ' || authority_level END
       || CASE comparison_level WHEN 'unit' THEN ', all fields'
               ELSE ', the field on row ' || source_row || ' (row ' || previous_source_row
                    || ' of the previous file)' END AS scope_en,
       CASE authority_level WHEN 'tinh' THEN 'cấp tỉnh' WHEN 'huyen' THEN 'cấp huyện'
            WHEN 'xa' THEN 'cấp xã' ELSE 'cấp ' || authority_level END
       || CASE comparison_level WHEN 'unit' THEN ', tổng các lĩnh vực'
               ELSE ', lĩnh vực ở dòng ' || source_row || ' (dòng ' || previous_source_row
                    || ' của tệp kỳ trước)' END AS scope_vi
FROM {CARRIED_IN}
"""

CARRIED_IN_SUITE = Suite(
    name="carried_in_continuity",
    table=CARRIED_IN,
    asset_key=("intermediate", "int_dossier_carried_in_compared"),
    query=CARRIED_IN_QUERY,
    requires=(CARRIED_IN,),
    text_columns=("previous_period_label", "previous_source_file", "scope_en", "scope_vi"),
    # unit total and fields share row numbers; several previous values differ by period
    context={"finding_key": "t.comparison_level || ' ' || t.previous_period_label"},
    rules=[
        Rule(
            rule="carried_in_matches_previous_pending",
            severity="warn",
            table=CARRIED_IN,
            kind="equals_zero",
            column="difference",
            summary_en=(
                "Dossiers carried in at the start of a period must equal the dossiers pending"
                " at the end of the previous period (same unit, level and field)"
            ),
            summary_vi=(
                "Số hồ sơ kỳ trước chuyển qua phải bằng số hồ sơ đang giải quyết cuối kỳ trước"
                " (cùng đơn vị, cấp và lĩnh vực)"
            ),
            message_en=(
                "Carried in {carried_in} at the start of {period_label} (file {source_file}) but"
                " {previous_pending} pending at the end of {previous_period_label} (file"
                " {previous_source_file}): difference {difference} ({scope_en})"
            ),
            message_vi=(
                "Kỳ trước chuyển qua {carried_in} đầu kỳ {period_label} (tệp {source_file}) nhưng"
                " cuối kỳ {previous_period_label} (tệp {previous_source_file}) còn"
                " {previous_pending} hồ sơ đang giải quyết: chênh lệch {difference} ({scope_vi})"
            ),
        )
    ],
)

CROSS_SUITES: list[Suite] = [
    TIMELINESS_SUITE,
    ACROSS_LEVELS_SUITE,
    YTD_DOSSIERS_SUITE,
    YTD_BUDGET_SUITE,
    ANOMALY_SUITE,
    UNIT_VALIDITY_SUITE,
    COMPLETENESS_SUITE,
    CARRIED_IN_SUITE,
]
