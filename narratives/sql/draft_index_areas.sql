-- The unit's PAR INDEX areas of the year: the self-assessed (else appraised) points
-- against the area's maximum, and criteria still pending.
-- sqlfluff:templater:placeholder:unit_code:'L568'
-- sqlfluff:templater:placeholder:year:2018
select
    rubric_id,
    area_code,
    area_name_vi,
    max_points,
    self_assessed_max_points,
    self_assessed_points,
    pending_criteria
from marts.fct_index_areas
where unit_code = $unit_code and assessment_year = $year
order by rubric_id, area_code
