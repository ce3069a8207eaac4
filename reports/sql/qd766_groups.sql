-- The six 766 groups of each unit in one period ($period_kind, $period_start): the points
-- the records give (points of computed_max_points, of the group's maximum), from
-- marts.fct_766_group_scores; groups in the formula document's order (their first
-- indicator). Limited to the province $province_code (null: all); the nation is left out.
-- sqlfluff:templater:placeholder:period_kind:'year'
-- sqlfluff:templater:placeholder:period_start:'2023-01-01'
-- sqlfluff:templater:placeholder:province_code:'L87'
with

group_order as (

    select
        group_code,
        min(indicator_code) as first_indicator
    from marts.fct_766_indicators
    group by group_code

)

select
    g.unit_code,
    g.unit_name,
    g.unit_kind,
    g.group_code,
    g.group_name_vi,
    g.group_max_points,
    g.points,
    g.computed_max_points
from marts.fct_766_group_scores as g
inner join marts.dim_admin_units as u on g.unit_code = u.unit_code
left join group_order as o on g.group_code = o.group_code
where
    g.period_kind = $period_kind
    and g.period_start = cast($period_start as date)
    and g.unit_kind <> 'nation'
    and ($province_code is null or u.province_code = $province_code)
order by g.unit_code asc, o.first_indicator asc, g.group_code asc
