-- Points and maxima of the applicable criteria per unit and area (marts.fct_area_scores says
-- what counts).
select
    unit_code,
    area_code,
    total_points as points,
    max_points_of_applicable_criteria as max_points,
    missing_criteria as missing
from marts.fct_area_scores
where rubric_id = $rubric and period_label = $period
