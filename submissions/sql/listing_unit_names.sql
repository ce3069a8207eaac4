-- The names of the unit codes $unit_codes that the unit list knows.
select
    unit_code,
    any_value(unit_name) as unit_name
from raw.admin_units
where list_contains($unit_codes, unit_code)
group by unit_code
