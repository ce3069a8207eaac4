-- The units $codes by code.
select
    unit_code,
    unit_name,
    unit_kind,
    province_code,
    admin_era
from marts.dim_admin_units
where list_contains($codes, unit_code)
