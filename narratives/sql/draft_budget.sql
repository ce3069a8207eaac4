-- The unit's public investment plan and cumulative disbursement at the latest date of the
-- period's fiscal year not after the period's end.
-- sqlfluff:templater:placeholder:period_end:'2018-12-31'
-- sqlfluff:templater:placeholder:unit_code:'L568'
select
    fiscal_year,
    as_of_date,
    plan_mvnd,
    disbursed_mvnd
from marts.fct_budget_disbursement
where
    unit_code = $unit_code
    and fiscal_year = year(cast($period_end as date))
    and as_of_date <= cast($period_end as date)
order by as_of_date desc
limit 1
