-- The rubrics ranked in the publication.
select distinct rubric_id
from marts.rankings
order by rubric_id
