-- The provinces, legacy and current, with the columns ingest's UnitResolver reads (resolving
-- a province needs no other unit).
select
    unit_code,
    gso_code,
    admin_era,
    unit_name,
    short_name,
    unit_type,
    unit_kind,
    province_code,
    parent_code
from marts.dim_admin_units
where unit_kind = 'province'
order by unit_code
