-- The PAR INDEX of each unit in the year $period (a year label such as '2023'; any other
-- period has none): its stage, points and score at each stage reached, the rubric's name,
-- and its rank in mart_index_rankings at its own stage only (ranked_status = index_status;
-- a ranking never mixes stages). Limited to the province $province_code (null: all).
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
with

rubric_names as (

    select
        rubric_id,
        year_from,
        max(rubric_name_vi) as rubric_name_vi
    from marts.dim_rubric_nodes
    group by rubric_id, year_from

)

select
    s.*,
    n.rubric_name_vi,
    r.rank,
    r.ranked_units,
    r.scope_code as ranking_scope_code
from marts.mart_index_status as s
left join rubric_names as n
    on
        s.rubric_id = n.rubric_id
        and s.rubric_year_from = n.year_from
left join marts.mart_index_rankings as r
    on
        s.rubric_id = r.rubric_id
        and s.assessment_year = r.assessment_year
        and s.unit_code = r.unit_code
        and s.index_status = r.ranked_status
where
    s.assessment_year = try_cast($period as integer)
    and (
        $province_code is null
        or s.province_code = $province_code
        or s.unit_code = $province_code
    )
order by
    s.rubric_id asc,
    list_position(['final', 'appraised', 'self_assessed'], s.index_status) asc,
    r.rank asc nulls last,
    s.unit_name asc
