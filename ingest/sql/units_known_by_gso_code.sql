-- which of the candidate GSO codes name a unit
select distinct gso_code
from raw.admin_units
where gso_code in (select unnest($codes::varchar[]))
