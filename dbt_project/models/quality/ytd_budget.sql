-- Rule ytd_disbursed_not_shrinking: cumulative disbursement must not shrink later in the
-- same fiscal year. One row per row of fct_budget_disbursement with the previous as-of date's
-- figure of the same unit and fiscal year and the change; a negative change is a finding.
with

budget as (

    select * from {{ ref('fct_budget_disbursement') }}

),

final as (

    select
        unit_code,
        fiscal_year,
        as_of_date,
        period_label,
        disbursed_mvnd,
        source_file,
        source_row,
        lag(as_of_date) over w as previous_as_of_date,
        lag(disbursed_mvnd) over w as previous_disbursed_mvnd,
        disbursed_mvnd - lag(disbursed_mvnd) over w as disbursed_change
    from budget
    where unit_code is not null
    window w as (partition by unit_code, fiscal_year order by as_of_date)

)

select * from final
