-- The units of the 766 view in one period ($period_kind, $period_start) with their total by
-- the portal's rules and their rank in marts.mart_766_rankings (among units of the same kind
-- and province; provinces nationwide) and its change on the previous period (positive:
-- moved up). Limited to the province $province_code (null: all); the nation is left out.
-- Each province first, then its departments, districts and communes, by name.
-- sqlfluff:templater:placeholder:period_kind:'year'
-- sqlfluff:templater:placeholder:period_start:'2023-01-01'
-- sqlfluff:templater:placeholder:province_code:'L87'
with

totals as (

    select distinct
        unit_code,
        unit_name,
        unit_kind,
        period_label,
        total_points,
        total_computed_max_points,
        total_band_vi
    from marts.fct_766_group_scores
    where
        period_kind = $period_kind
        and period_start = cast($period_start as date)
        and unit_kind <> 'nation'

)

select
    t.unit_code,
    t.unit_name,
    t.unit_kind,
    t.period_label,
    u.province_code,
    p.unit_name as province_name,
    t.total_points,
    t.total_computed_max_points,
    t.total_band_vi,
    r.ranked_within,
    r.total_rank,
    r.units_ranked,
    r.rank_change
from totals as t
inner join marts.dim_admin_units as u on t.unit_code = u.unit_code
left join marts.dim_admin_units as p on u.province_code = p.unit_code
left join marts.mart_766_rankings as r
    on
        t.unit_code = r.unit_code
        and r.period_kind = $period_kind
        and r.period_start = cast($period_start as date)
where $province_code is null or u.province_code = $province_code
order by
    p.unit_name asc,
    u.province_code asc,
    list_position(['province', 'department', 'district', 'commune'], t.unit_kind) asc nulls last,
    t.unit_name asc,
    t.unit_code asc
