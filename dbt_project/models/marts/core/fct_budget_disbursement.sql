-- Public investment disbursement per unit, fiscal year and as-of date (cumulative from
-- 1 January), in million VND, with the disbursement rate.
with

budget as (

    select * from {{ ref('int_budget_submissions_latest') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

final as (

    select
        budget.unit_code,
        budget.fiscal_year,
        budget.as_of_date,
        {{ period_label('make_date(budget.fiscal_year, 1, 1)', 'budget.as_of_date') }}
            as period_label,
        budget.plan_mvnd,
        budget.disbursed_mvnd,
        {{ safe_rate('budget.disbursed_mvnd', 'budget.plan_mvnd') }} as disbursement_rate,
        file_names.file_name as source_file,
        budget.source_row
    from budget
    left join file_names
        on budget.file_id = file_names.file_id

)

select * from final
