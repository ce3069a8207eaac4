-- the names of the given unit codes
select
    unit_code,
    any_value(unit_name) as unit_name
from raw.admin_units
where list_contains($unit_codes, unit_code)
group by unit_code
