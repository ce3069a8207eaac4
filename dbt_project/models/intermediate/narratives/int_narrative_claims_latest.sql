-- The claims of the latest narrative report of each unit and report period (a later report
-- of the same unit and report period replaces the earlier one whole: the latest loaded; a
-- report whose header gives no unit or period stands alone), each placed: its authority level
-- (the claim's, else the report's for a sentence about the report's own unit), its period (the
-- sentence's, else the report's: never mixed) as period_start and period_end, and the
-- warehouse source its measure is compared with (compared_with). One row per claim; the
-- comparisons (int_narrative_claims_vs_*) and the check (int_narrative_claims_checked) read it.
with

claims as (

    select * from {{ ref('stg_raw__narrative_claims') }}

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
            -- a part of the plan by funding source (category 'vốn ngân sách tỉnh' …): the
            -- warehouse holds the unit's whole plan only, so the part is not compared
            when
                measure in ('disbursement_plan', 'disbursed', 'disbursement_rate')
                and category is null
                then 'budget_disbursement'
            when measure in ('staff_quota', 'staff_actual') then 'staffing'
            when measure in ('par_points', 'par_points_total') then 'self_assessment'
        end as compared_with
    from with_period_end

)

select * from resolved
