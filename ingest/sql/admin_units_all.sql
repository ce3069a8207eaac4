-- every administrative unit, for the unit resolver
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
from raw.admin_units
