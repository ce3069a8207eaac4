-- The units $codes with what their lineage needs (parent, province).
select
    unit_code,
    unit_name,
    unit_kind,
    parent_code,
    province_code
from marts.dim_admin_units
where list_contains($codes, unit_code)
