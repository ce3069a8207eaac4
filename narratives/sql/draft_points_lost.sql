-- The criteria where the unit's PAR INDEX of the year falls short of the maximum or is
-- still pending, in the rubric's words.
-- sqlfluff:templater:placeholder:unit_code:'L568'
-- sqlfluff:templater:placeholder:year:2018
select
    area_code,
    node_code,
    ordinal,
    name_vi,
    max_points,
    points,
    points_lost,
    criterion_status
from marts.mart_index_points_lost
where unit_code = $unit_code and assessment_year = $year
order by area_code, node_code
