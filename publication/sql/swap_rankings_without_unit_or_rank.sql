-- Audit: every published ranking row names its unit and its rank.
select count(*) as without_unit_or_rank
from marts.rankings
where unit_code is null or rank is null
