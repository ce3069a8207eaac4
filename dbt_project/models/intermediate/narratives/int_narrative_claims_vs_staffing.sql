-- The narrative claims compared with the staffing (int_staff_submissions_latest) of the same
-- unit at the claim's period end: one row per claim (compared_with = 'staffing') the
-- warehouse holds a figure for: the quota or the actual staff of the claim's category, of all
-- public employees (vien_chuc), or of the unit in total (no category).
with

claims as (

    select * from {{ ref('int_narrative_claims_latest') }}
    where compared_with = 'staffing'

),

staff as (

    select * from {{ ref('int_staff_submissions_latest') }}

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

compared as (

    select
        claims.file_id,
        claims.claim_no,
        staff_figures.file_id as warehouse_file_id,
        staff_figures.source_row as warehouse_source_row,
        'submitted' as warehouse_figure_source,
        cast(case claims.measure
            when 'staff_quota' then staff_figures.quota
            when 'staff_actual' then staff_figures.actual
        end as decimal(24, 8)) as warehouse_value_as_published,
        cast(null as decimal(24, 8)) as warehouse_value_with_carried_in
    from claims
    inner join staff_figures
        on
            claims.claim_unit_code = staff_figures.unit_code
            and claims.period_end = staff_figures.as_of_date
            and coalesce(claims.category, '') = coalesce(staff_figures.category, '')

)

select * from compared
