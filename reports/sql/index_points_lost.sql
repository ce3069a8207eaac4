-- The points each unit loses in its PAR INDEX in the year $period at the stage its index
-- has reached (mart_index_points_lost), criterion by criterion in the rubric's order, with
-- the unit's explanation and the appraisal's reason; pending criteria have null points.
-- Limited to the province $province_code (null: all).
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
select p.*
from marts.mart_index_points_lost as p
inner join marts.mart_index_status as s
    on
        p.rubric_id = s.rubric_id
        and p.unit_code = s.unit_code
        and p.assessment_year = s.assessment_year
where
    p.assessment_year = try_cast($period as integer)
    and (
        $province_code is null
        or s.province_code = $province_code
        or s.unit_code = $province_code
    )
order by
    p.rubric_id asc,
    p.unit_name asc,
    p.unit_code asc,
    try_cast(string_split(p.node_code, '.') as integer[]) asc nulls last,
    p.node_code asc
