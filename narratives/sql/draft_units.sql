-- Every administrative unit a draft can be written for, with its province's name.
select
    u.unit_code,
    u.gso_code,
    u.unit_name,
    u.short_name,
    u.unit_type,
    u.unit_kind,
    u.province_code,
    u.parent_code,
    u.valid_from,
    u.valid_to,
    p.unit_name as province_name
from marts.dim_admin_units as u
left join marts.dim_admin_units as p on u.province_code = p.unit_code
where u.unit_kind in ('province', 'district', 'commune')
order by u.unit_code
