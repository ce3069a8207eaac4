-- Every claim of the latest narrative report of each unit and report period, checked against
-- the warehouse's figure for the same unit, authority level, period and measure (each
-- comparison its own model, int_narrative_claims_vs_*; the claims placed in
-- int_narrative_claims_latest):
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

    select * from {{ ref('int_narrative_claims_latest') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

-- the warehouse's figure of each claim it holds one for (one comparison per source)
warehouse_figures as (

    select * from {{ ref('int_narrative_claims_vs_dossiers') }}
    union all
    select * from {{ ref('int_narrative_claims_vs_surveys') }}
    union all
    select * from {{ ref('int_narrative_claims_vs_disbursement') }}
    union all
    select * from {{ ref('int_narrative_claims_vs_staffing') }}
    union all
    select * from {{ ref('int_narrative_claims_vs_self_assessment') }}

),

compared as (

    select
        claims.*,
        warehouse_figures.warehouse_file_id,
        warehouse_figures.warehouse_source_row,
        warehouse_figures.warehouse_figure_source,
        warehouse_figures.warehouse_value_as_published,
        warehouse_figures.warehouse_value_with_carried_in
    from claims
    left join warehouse_figures
        on
            claims.file_id = warehouse_figures.file_id
            and claims.claim_no = warehouse_figures.claim_no

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
