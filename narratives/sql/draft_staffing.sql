-- The unit's staffing quota and actual by category at the latest date of the period's
-- year not after the period's end.
-- sqlfluff:templater:placeholder:period_end:'2018-12-31'
-- sqlfluff:templater:placeholder:unit_code:'L568'
with latest as (
    select max(as_of_date) as as_of_date
    from marts.fct_staffing
    where
        unit_code = $unit_code
        and year(as_of_date) = year(cast($period_end as date))
        and as_of_date <= cast($period_end as date)
)

select
    s.as_of_date,
    s.category,
    s.quota,
    s.actual
from marts.fct_staffing as s
inner join latest on s.as_of_date = latest.as_of_date
where s.unit_code = $unit_code
order by s.category
