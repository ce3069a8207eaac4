-- The scoring areas of $rubric in $period, in their numbered order.
select
    area_code,
    any_value(area_name_vi) as area_name_vi
from marts.fct_scores
where rubric_id = $rubric and period_label = $period
group by area_code
order by try_cast(area_code as integer) nulls last, area_code
