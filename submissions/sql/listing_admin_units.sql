-- Every administrative unit with its codes, names and parents (a unit look-up by code or name).
select
    unit_code,
    gso_code,
    unit_name,
    short_name,
    province_code,
    parent_code
from raw.admin_units
