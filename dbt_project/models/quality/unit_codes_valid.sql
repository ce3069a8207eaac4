-- Rule unit_code_valid_for_period: every unit code of the facts must exist in
-- dim_admin_units and be valid on some of the period's dates. One row per fact row with a unit
-- code; unit_status other than 'valid' is a finding, problem_en / problem_vi say why.
with

dossier_stats as (

    select * from {{ ref('fct_dossier_stats') }}

),

surveys as (

    select * from {{ ref('fct_survey_satisfaction') }}

),

budget as (

    select * from {{ ref('fct_budget_disbursement') }}

),

staffing as (

    select * from {{ ref('fct_staffing') }}

),

units as (

    select * from {{ ref('dim_admin_units') }}

),

facts as (

    select
        'dossiers' as source_family,
        unit_code,
        period_label,
        period_start,
        period_end,
        source_file,
        source_row
    from dossier_stats
    union all
    select
        'surveys' as source_family,
        unit_code,
        period_label,
        period_start,
        period_end,
        source_file,
        source_row
    from surveys
    union all
    select
        'budget' as source_family,
        unit_code,
        period_label,
        make_date(fiscal_year, 1, 1) as period_start,
        as_of_date as period_end,
        source_file,
        source_row
    from budget
    union all
    select
        'staff' as source_family,
        unit_code,
        strftime(as_of_date, '%Y-%m-%d') as period_label,
        as_of_date as period_start,
        as_of_date as period_end,
        source_file,
        source_row
    from staffing

),

checked as (

    select
        facts.*,
        units.valid_from,
        units.valid_to,
        case
            when units.unit_code is null then 'unknown'
            -- a period the unit existed in for none of its days; a period across the 2025
            -- reorganisation is the unit's (a new commune's or department's year-to-date
            -- figures of 2025 include its predecessors' first half)
            when units.valid_from is not null and facts.period_end < units.valid_from
                then 'not_yet_valid'
            when units.valid_to is not null and facts.period_start > units.valid_to
                then 'no_longer_valid'
            else 'valid'
        end as unit_status
    from facts
    left join units on facts.unit_code = units.unit_code
    where facts.unit_code is not null

),

final as (

    select
        *,
        {{ source_family_vi('source_family') }} as family_vi,
        case unit_status
            when 'unknown' then 'is not in dim_admin_units'
            when 'not_yet_valid' then 'was not yet valid (valid from ' || valid_from || ')'
            when 'no_longer_valid' then 'was no longer valid (valid until ' || valid_to || ')'
            else 'is valid'
        end as problem_en,
        case unit_status
            when 'unknown' then 'không có trong danh mục đơn vị hành chính'
            when 'not_yet_valid'
                then 'chưa có hiệu lực (hiệu lực từ ' || strftime(valid_from, '%d/%m/%Y') || ')'
            when 'no_longer_valid'
                then 'đã hết hiệu lực (đến ' || strftime(valid_to, '%d/%m/%Y') || ')'
            else 'hợp lệ'
        end as problem_vi
    from checked

)

select * from final
