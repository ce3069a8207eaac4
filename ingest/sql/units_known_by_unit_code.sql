-- which of the candidate unit codes (legacy units: L + code) name a unit
select unit_code
from raw.admin_units
where unit_code in (select unnest($codes::varchar[]))
