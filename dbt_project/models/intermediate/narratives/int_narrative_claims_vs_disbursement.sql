-- The narrative claims compared with the budget disbursement (int_budget_submissions_latest)
-- of the same unit at the claim's period end: one row per claim (compared_with =
-- 'budget_disbursement') the warehouse holds a figure for: the plan and the disbursed amount
-- (million VND), the disbursement rate.
with

claims as (

    select * from {{ ref('int_narrative_claims_latest') }}
    where compared_with = 'budget_disbursement'

),

budget as (

    select * from {{ ref('int_budget_submissions_latest') }}

),

compared as (

    select
        claims.file_id,
        claims.claim_no,
        budget.file_id as warehouse_file_id,
        budget.source_row as warehouse_source_row,
        'submitted' as warehouse_figure_source,
        cast(case claims.measure
            when 'disbursement_plan' then budget.plan_mvnd
            when 'disbursed' then budget.disbursed_mvnd
            when 'disbursement_rate'
                then {{ safe_rate('budget.disbursed_mvnd', 'budget.plan_mvnd') }}
        end as decimal(24, 8)) as warehouse_value_as_published,
        cast(null as decimal(24, 8)) as warehouse_value_with_carried_in
    from claims
    inner join budget
        on
            claims.claim_unit_code = budget.unit_code
            and claims.period_end = budget.as_of_date

)

select * from compared
