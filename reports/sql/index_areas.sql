-- The PAR INDEX of each unit in the year $period by area (fct_index_areas): self-assessed
-- points of the self-assessed maximum, survey points known of the survey maximum, appraised
-- points, and final points of the maximum only once the unit's index is final (an area's
-- sum is not shown as final while the index is at an earlier stage). Limited to the
-- province $province_code (null: all).
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
select
    a.rubric_id,
    a.unit_code,
    a.unit_name,
    a.assessment_year,
    a.area_code,
    a.area_name_vi,
    s.index_status,
    s.index_status_vi,
    a.max_points,
    a.self_assessed_max_points,
    a.survey_max_points,
    a.self_assessed_points,
    a.pending_criteria,
    a.not_stated_criteria,
    a.appraised_points,
    a.survey_points,
    a.survey_pending_criteria,
    case when s.index_status = 'final' then a.final_points end as final_points
from marts.fct_index_areas as a
inner join marts.mart_index_status as s
    on
        a.rubric_id = s.rubric_id
        and a.unit_code = s.unit_code
        and a.assessment_year = s.assessment_year
where
    a.assessment_year = try_cast($period as integer)
    and (
        $province_code is null
        or s.province_code = $province_code
        or s.unit_code = $province_code
    )
order by
    a.rubric_id asc,
    a.unit_name asc,
    a.unit_code asc,
    try_cast(a.area_code as integer) asc nulls last,
    a.area_code asc
