-- Public investment plan and disbursement per unit × fiscal year (the year's last
-- cumulative figure), for the submitting units and every unit above them.
with

budget as (

    select * from {{ ref('int_budget_submissions_latest') }}

),

budget_year_end as (

    select
        unit_code,
        'all' as authority_level,
        make_date(fiscal_year, 1, 1) as period_start,
        make_date(fiscal_year, 12, 31) as period_end,
        plan_mvnd,
        disbursed_mvnd
    from budget
    qualify row_number() over (
        partition by unit_code, fiscal_year order by as_of_date desc
    ) = 1

),

rolled_up as (

    {{ rollup_along_unit_tree('budget_year_end',
        ['authority_level', 'period_start', 'period_end'], unit_measures('budget')) | indent(4) }}

)

select * from rolled_up
