-- The districts and communes of the province $province_code valid over the whole period
-- $period_start..$period_end in the era $admin_era, each commune after its district (grp).
-- sqlfluff:templater:placeholder:province_code:'L87'
-- sqlfluff:templater:placeholder:admin_era:'legacy'
-- sqlfluff:templater:placeholder:period_start:date '2023-01-01'
-- sqlfluff:templater:placeholder:period_end:date '2023-12-31'
select
    u.unit_code,
    u.gso_code,
    u.unit_name,
    u.unit_kind,
    p.unit_name as parent_name,
    p.unit_kind as parent_kind,
    coalesce(case when u.unit_kind = 'commune' then u.parent_code end, u.unit_code) as grp
from marts.dim_admin_units as u
left join marts.dim_admin_units as p on u.parent_code = p.unit_code
where
    u.province_code = $province_code
    and u.admin_era = $admin_era
    and u.unit_kind in ('district', 'commune')
    and (u.valid_from is null or u.valid_from <= $period_start)
    and (u.valid_to is null or u.valid_to >= $period_end)
order by grp, u.unit_kind = 'commune', u.unit_name, u.unit_code
