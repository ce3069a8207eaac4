-- Self-scores against the data in the year $period (mart_index_claims_vs_data): for every
-- criterion the warehouse computes, the points the unit claims, the points the data gives,
-- their difference and the measured value. Limited to the province $province_code (null:
-- all).
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
select c.*
from marts.mart_index_claims_vs_data as c
inner join marts.mart_index_status as s
    on
        c.rubric_id = s.rubric_id
        and c.unit_code = s.unit_code
        and c.assessment_year = s.assessment_year
where
    c.assessment_year = try_cast($period as integer)
    and (
        $province_code is null
        or s.province_code = $province_code
        or s.unit_code = $province_code
    )
order by
    c.rubric_id asc,
    c.unit_name asc,
    c.unit_code asc,
    try_cast(string_split(c.node_code, '.') as integer[]) asc nulls last,
    c.node_code asc
