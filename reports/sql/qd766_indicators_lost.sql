-- The 766 indicators behind the points a unit loses in one period ($period_kind,
-- $period_start): every indicator short of its maximum, or without data (a denominator of
-- 0: no points), with its counts, value, points and the rule's threshold (full_points_at:
-- full points from that percentage). Limited to the province $province_code (null: all);
-- the nation is left out.
-- sqlfluff:templater:placeholder:period_kind:'year'
-- sqlfluff:templater:placeholder:period_start:'2023-01-01'
-- sqlfluff:templater:placeholder:province_code:'L87'
select
    i.unit_code,
    i.unit_name,
    i.unit_kind,
    i.group_code,
    i.group_name_vi,
    i.indicator_code,
    i.indicator_name_vi,
    i.numerator,
    i.denominator,
    i.multiplier_numerator,
    i.multiplier_denominator,
    i.value_percent,
    i.points,
    i.max_points,
    i.rule,
    i.full_points_at,
    i.max_points - coalesce(i.points, 0) as points_lost
from marts.fct_766_indicators as i
inner join marts.dim_admin_units as u on i.unit_code = u.unit_code
where
    i.period_kind = $period_kind
    and i.period_start = cast($period_start as date)
    and i.unit_kind <> 'nation'
    and (i.points is null or i.points < i.max_points)
    and ($province_code is null or u.province_code = $province_code)
order by i.unit_code asc, i.indicator_code asc
