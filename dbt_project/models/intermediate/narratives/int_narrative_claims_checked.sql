-- Every claim of the latest narrative report of each unit and report period, checked against
-- the warehouse's figure for the same unit, authority level, period and measure:
--   dossier measures and rates   the one-stop dossier statistics (int_dossier_stats_unioned);
--                                a level the unit did not submit itself ("UBND cấp xã" in a
--                                district's report) as the sum of the units below it
--   survey forms and rate        the survey results (int_survey_results_unioned)
--   disbursement                 the budget disbursement (int_budget_submissions_latest)
--   staff quota and actual       the staffing (int_staff_submissions_latest)
--   PAR points by area, total    the unit's self-assessment (int_index_self_scores)
-- status: matches (the warehouse figure rounded half up to the decimals the report writes
-- equals the stated value: a rate "97,95%" to 2 decimals, a count exactly, money to its
-- stated decimals), differs (difference = stated - warehouse rounded, with the submission
-- file the warehouse figure came from), no_data (no such figure in the warehouse), or
-- unresolved (no unit, period or measure; the reason says which).
-- A later report of the same unit and report period replaces the earlier one whole (the
-- latest loaded; a report whose header gives no unit or period stands alone).
with

claims as (

    select * from {{ ref('stg_raw__narrative_claims') }}

),

dossier_stats_unioned as (

    select * from {{ ref('int_dossier_stats_unioned') }}

),

units as (

    select * from {{ ref('int_admin_units') }}

),

survey_results as (

    select * from {{ ref('int_survey_results_unioned') }}

),

budget as (

    select * from {{ ref('int_budget_submissions_latest') }}

),

staff as (

    select * from {{ ref('int_staff_submissions_latest') }}

),

self_scores as (

    select * from {{ ref('int_index_self_scores') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

report_files as (

    select
        file_id,
        coalesce(report_unit_code, 'file:' || file_id) as report_key_unit,
        coalesce(
            cast(report_period_end as string),
            cast(report_period_year as string),
            'file:' || file_id
        ) as report_key_period,
        max(loaded_at) as loaded_at
    from claims
    group by
        file_id,
        coalesce(report_unit_code, 'file:' || file_id),
        coalesce(
            cast(report_period_end as string),
            cast(report_period_year as string),
            'file:' || file_id
        )

),

latest_files as (

    select file_id
    from (
        select
            file_id,
            row_number() over (
                partition by report_key_unit, report_key_period
                order by loaded_at desc, file_id desc
            ) as version_rank
        from report_files
    ) as ranked
    where version_rank = 1

),

latest_claims as (

    select claims.*
    from claims
    inner join latest_files
        on claims.file_id = latest_files.file_id

),

-- the claim's level (else the report's, for a sentence about the report's own unit) and
-- period (the sentence's, else the report's: never mixed)
placed as (

    select
        *,
        coalesce(
            claim_level,
            case when claim_unit_name is null then report_level end
        ) as unit_level,
        case
            when
                claim_period_kind is not null
                or claim_period_year is not null
                or claim_period_end is not null
                then 'claim'
            when
                report_period_kind is not null
                or report_period_year is not null
                or report_period_end is not null
                then 'report'
        end as period_source
    from latest_claims

),

with_period_parts as (

    select
        *,
        case period_source
            when 'claim' then claim_period_kind
            when 'report' then report_period_kind
        end as period_kind,
        case period_source
            when 'claim' then claim_period_year
            when 'report' then report_period_year
        end as period_year,
        case period_source
            when 'claim' then claim_period_end
            when 'report' then report_period_end
        end as stated_period_end,
        case unit_level
            when 'province' then 'tinh'
            when 'department' then 'tinh'
            when 'district' then 'huyen'
            when 'commune' then 'xa'
        end as authority_level
    from placed

),

with_period_end as (

    select
        *,
        coalesce(
            stated_period_end,
            case period_kind
                when 'year' then make_date(period_year, 12, 31)
                when 'half' then make_date(period_year, 6, 30)
                when 'nine_months' then make_date(period_year, 9, 30)
            end
        ) as period_end
    from with_period_parts

),

resolved as (

    select
        *,
        case
            when period_end is null then null
            when period_kind = 'quarter'
                then make_date(year(period_end), 3 * (quarter(period_end) - 1) + 1, 1)
            when period_kind = 'month' then make_date(year(period_end), month(period_end), 1)
            when period_kind = 'half' and month(period_end) = 12
                then make_date(year(period_end), 7, 1)
            else make_date(year(period_end), 1, 1)
        end as period_start,
        case
            when
                left(measure, 9) = 'dossiers_'
                or measure in (
                    'rate_resolved', 'rate_on_time', 'rate_late', 'rate_online', 'rate_postal'
                )
                then 'dossier_stats'
            when measure in ('survey_forms', 'survey_satisfied', 'satisfaction_rate')
                then 'survey_satisfaction'
            when measure in ('disbursement_plan', 'disbursed', 'disbursement_rate')
                then 'budget_disbursement'
            when measure in ('staff_quota', 'staff_actual') then 'staffing'
            when measure in ('par_points', 'par_points_total') then 'self_assessment'
        end as compared_with
    from with_period_end

),

-- the dossier figures of a unit, level and period: as submitted (received_total: for handling,
-- carried in + new), else the sum of the units below it (children and grandchildren)
dossier_own as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        file_id,
        source_row,
        'submitted' as figure_source,
        carried_in,
        received,
        coalesce(received_total, received + coalesce(carried_in, 0)) as received_total,
        resolved,
        resolved_early,
        resolved_on_time,
        resolved_on_time - resolved_early as resolved_on_time_exact,
        resolved_late,
        pending,
        pending_not_due,
        pending_overdue,
        received_online,
        received_postal,
        received_in_person
    from dossier_stats_unioned

),

ancestors as (

    select
        unit_code,
        parent_code as ancestor_code
    from units
    where parent_code is not null
    union all
    select
        children.unit_code,
        parents.parent_code as ancestor_code
    from units as children
    inner join units as parents
        on children.parent_code = parents.unit_code
    where parents.parent_code is not null

),

dossier_sums as (

    select
        ancestors.ancestor_code as unit_code,
        dossier_own.authority_level,
        dossier_own.period_start,
        dossier_own.period_end,
        cast(null as string) as file_id,
        cast(null as bigint) as source_row,
        'sum_of_units_below' as figure_source,
        sum(dossier_own.carried_in) as carried_in,
        sum(dossier_own.received) as received,
        sum(dossier_own.received_total) as received_total,
        sum(dossier_own.resolved) as resolved,
        sum(dossier_own.resolved_early) as resolved_early,
        sum(dossier_own.resolved_on_time) as resolved_on_time,
        sum(dossier_own.resolved_on_time_exact) as resolved_on_time_exact,
        sum(dossier_own.resolved_late) as resolved_late,
        sum(dossier_own.pending) as pending,
        sum(dossier_own.pending_not_due) as pending_not_due,
        sum(dossier_own.pending_overdue) as pending_overdue,
        sum(dossier_own.received_online) as received_online,
        sum(dossier_own.received_postal) as received_postal,
        sum(dossier_own.received_in_person) as received_in_person
    from dossier_own
    inner join ancestors
        on dossier_own.unit_code = ancestors.unit_code
    group by
        ancestors.ancestor_code,
        dossier_own.authority_level,
        dossier_own.period_start,
        dossier_own.period_end

),

dossier_stats as (

    select * from dossier_own
    union all
    select dossier_sums.*
    from dossier_sums
    where not exists (
        select 1
        from dossier_own
        where
            dossier_own.unit_code = dossier_sums.unit_code
            and dossier_own.authority_level = dossier_sums.authority_level
            and dossier_own.period_start = dossier_sums.period_start
            and dossier_own.period_end = dossier_sums.period_end
    )

),

-- staff by category, with the unit's total (category null) and all public employees
-- (vien_chuc: education, health and other)
staff_figures as (

    select
        unit_code,
        as_of_date,
        category,
        file_id,
        source_row,
        quota,
        actual
    from staff
    union all
    select
        unit_code,
        as_of_date,
        'vien_chuc' as category,
        min(file_id) as file_id,
        min(source_row) as source_row,
        cast(sum(quota) as bigint) as quota,
        cast(sum(actual) as bigint) as actual
    from staff
    where category like 'vien_chuc%'
    group by unit_code, as_of_date
    union all
    select
        unit_code,
        as_of_date,
        cast(null as string) as category,
        min(file_id) as file_id,
        min(source_row) as source_row,
        cast(sum(quota) as bigint) as quota,
        cast(sum(actual) as bigint) as actual
    from staff
    group by unit_code, as_of_date

),

-- the self-assessed points of each area (node level 1), and their total
area_scores as (

    select
        unit_code,
        assessment_year,
        node_code,
        file_id,
        source_row,
        self_score
    from self_scores
    where node_level = 1
    union all
    select
        unit_code,
        assessment_year,
        cast(null as string) as node_code,
        min(file_id) as file_id,
        min(source_row) as source_row,
        sum(self_score) as self_score
    from self_scores
    where node_level = 1
    group by unit_code, assessment_year

),

compared as (

    select
        resolved.*,
        case resolved.compared_with
            when 'dossier_stats' then dossier_stats.file_id
            when 'survey_satisfaction' then survey_results.file_id
            when 'budget_disbursement' then budget.file_id
            when 'staffing' then staff_figures.file_id
            when 'self_assessment' then area_scores.file_id
        end as warehouse_file_id,
        case resolved.compared_with
            when 'dossier_stats' then dossier_stats.source_row
            when 'survey_satisfaction' then survey_results.source_row
            when 'budget_disbursement' then budget.source_row
            when 'staffing' then staff_figures.source_row
            when 'self_assessment' then area_scores.source_row
        end as warehouse_source_row,
        case
            when resolved.compared_with = 'dossier_stats' then dossier_stats.figure_source
            when resolved.compared_with is not null then 'submitted'
        end as warehouse_figure_source,
        cast(case resolved.measure
            when 'dossiers_received' then dossier_stats.received
            when 'dossiers_carried_in' then dossier_stats.carried_in
            when 'dossiers_new' then dossier_stats.received
            when 'dossiers_resolved' then dossier_stats.resolved
            when 'dossiers_resolved_early' then dossier_stats.resolved_early
            when 'dossiers_resolved_on_time'
                then dossier_stats.resolved_on_time_exact
            when 'dossiers_resolved_early_or_on_time' then dossier_stats.resolved_on_time
            when 'dossiers_resolved_late' then dossier_stats.resolved_late
            when 'dossiers_pending' then dossier_stats.pending
            when 'dossiers_pending_not_due' then dossier_stats.pending_not_due
            when 'dossiers_pending_overdue' then dossier_stats.pending_overdue
            when 'dossiers_online' then dossier_stats.received_online
            when 'dossiers_postal' then dossier_stats.received_postal
            when 'dossiers_in_person' then dossier_stats.received_in_person
            when 'rate_resolved'
                then {{ safe_rate('dossier_stats.resolved', 'dossier_stats.received') }}
            when 'rate_on_time'
                then {{ safe_rate('dossier_stats.resolved_on_time', 'dossier_stats.resolved') }}
            when 'rate_late'
                then {{ safe_rate('dossier_stats.resolved_late', 'dossier_stats.resolved') }}
            when 'rate_online'
                then {{ safe_rate('dossier_stats.received_online', 'dossier_stats.received') }}
            when 'rate_postal'
                then {{ safe_rate('dossier_stats.received_postal', 'dossier_stats.received') }}
            when 'survey_forms' then survey_results.forms
            when 'survey_satisfied' then survey_results.satisfied_forms
            when 'satisfaction_rate'
                then {{ safe_rate('survey_results.satisfied_forms', 'survey_results.forms') }}
            when 'disbursement_plan' then budget.plan_mvnd
            when 'disbursed' then budget.disbursed_mvnd
            when 'disbursement_rate'
                then {{ safe_rate('budget.disbursed_mvnd', 'budget.plan_mvnd') }}
            when 'staff_quota' then staff_figures.quota
            when 'staff_actual' then staff_figures.actual
            when 'par_points' then area_scores.self_score
            when 'par_points_total' then area_scores.self_score
        end as decimal(24, 8)) as warehouse_value_as_published,
        -- "hồ sơ tiếp nhận" in a report is either the newly received dossiers (the warehouse's
        -- received, the denominator of its published resolution rate) or everything received
        -- for handling (carried in + new): the second reading, where the two differ
        cast(case resolved.measure
            when 'dossiers_received' then dossier_stats.received_total
            when 'rate_resolved'
                then {{ safe_rate('dossier_stats.resolved', 'dossier_stats.received_total') }}
        end as decimal(24, 8)) as warehouse_value_with_carried_in
    from resolved
    left join dossier_stats
        on
            resolved.compared_with = 'dossier_stats'
            and resolved.claim_unit_code = dossier_stats.unit_code
            and resolved.authority_level = dossier_stats.authority_level
            and resolved.period_start = dossier_stats.period_start
            and resolved.period_end = dossier_stats.period_end
    left join survey_results
        on
            resolved.compared_with = 'survey_satisfaction'
            and resolved.claim_unit_code = survey_results.unit_code
            and resolved.authority_level = survey_results.authority_level
            and resolved.period_start = survey_results.period_start
            and resolved.period_end = survey_results.period_end
    left join budget
        on
            resolved.compared_with = 'budget_disbursement'
            and resolved.claim_unit_code = budget.unit_code
            and resolved.period_end = budget.as_of_date
    left join staff_figures
        on
            resolved.compared_with = 'staffing'
            and resolved.claim_unit_code = staff_figures.unit_code
            and resolved.period_end = staff_figures.as_of_date
            and coalesce(resolved.category, '') = coalesce(staff_figures.category, '')
    left join area_scores
        on
            resolved.compared_with = 'self_assessment'
            and resolved.claim_unit_code = area_scores.unit_code
            and year(resolved.period_end) = area_scores.assessment_year
            and (
                (resolved.measure = 'par_points' and resolved.category = area_scores.node_code)
                or (resolved.measure = 'par_points_total' and area_scores.node_code is null)
            )

),

-- the warehouse figure rounded half up to the decimals the report writes (at most 4, the
-- scale of value)
both_rounded as (

    select
        *,
        {{ narrative_round_half_up('warehouse_value_as_published', 'value_decimals') }}
            as as_published_rounded,
        {{ narrative_round_half_up('warehouse_value_with_carried_in', 'value_decimals') }}
            as with_carried_in_rounded
    from compared

),

-- the reading the report's figure matches (the published one when neither does)
rounded as (

    select
        *,
        case
            when
                with_carried_in_rounded = value and as_published_rounded != value
                then warehouse_value_with_carried_in
            else warehouse_value_as_published
        end as warehouse_value,
        case
            when
                with_carried_in_rounded = value and as_published_rounded != value
                then with_carried_in_rounded
            else as_published_rounded
        end as warehouse_value_rounded
    from both_rounded

),

statused as (

    select
        *,
        case
            when extract_status = 'unresolved' then 'unresolved'
            when measure is null then 'unresolved'
            when claim_unit_code is null then 'unresolved'
            when period_end is null then 'unresolved'
            when compared_with = 'dossier_stats' and authority_level is null then 'unresolved'
            when warehouse_value_rounded is null then 'no_data'
            when warehouse_value_rounded = value then 'matches'
            else 'differs'
        end as status
    from rounded

),

final as (

    select
        rounded.file_id,
        rounded.claim_no,
        rounded.report_unit_code,
        rounded.report_unit_name,
        rounded.report_level,
        rounded.report_date,
        rounded.claim_unit_code as unit_code,
        rounded.claim_unit_name,
        rounded.unit_level,
        rounded.authority_level,
        rounded.period_source,
        rounded.period_kind,
        rounded.period_start,
        rounded.period_end,
        rounded.measure,
        rounded.measure_label_vi,
        rounded.category,
        rounded.value_text,
        rounded.value,
        rounded.value_decimals,
        rounded.max_value,
        rounded.compared_with,
        rounded.warehouse_value,
        rounded.warehouse_value_rounded,
        rounded.status,
        case
            when rounded.status in ('matches', 'differs')
                then cast(rounded.value - rounded.warehouse_value_rounded as decimal(24, 4))
        end as difference,
        case
            when rounded.extract_status = 'unresolved'
                then coalesce(
                    rounded.extract_reason, 'không xác định được đơn vị, kỳ hoặc chỉ tiêu'
                )
            when rounded.measure is null then 'không xác định được chỉ tiêu của số liệu'
            when rounded.claim_unit_code is null
                then coalesce(
                    rounded.extract_reason,
                    'không xác định được đơn vị: '
                    || coalesce(rounded.claim_unit_name, rounded.report_unit_name, '(không ghi)')
                )
            when rounded.period_end is null then 'không xác định được kỳ báo cáo của số liệu'
            when rounded.compared_with = 'dossier_stats' and rounded.authority_level is null
                then 'không xác định được cấp giải quyết hồ sơ (tỉnh, huyện, xã)'
            when rounded.compared_with is null
                then 'kho dữ liệu không có chỉ tiêu này để đối chiếu'
            when rounded.warehouse_value is null
                then 'kho dữ liệu chưa có số liệu của đơn vị, cấp và kỳ này'
        end as reason,
        file_names.file_name as warehouse_file,
        rounded.warehouse_source_row,
        case
            when rounded.warehouse_value is not null then rounded.warehouse_figure_source
        end as warehouse_figure_source,
        rounded.paragraph,
        rounded.char_start,
        rounded.char_end,
        rounded.quote,
        rounded.loaded_at
    from statused as rounded
    left join file_names
        on rounded.warehouse_file_id = file_names.file_id

)

select * from final
