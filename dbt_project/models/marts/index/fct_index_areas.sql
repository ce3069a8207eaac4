-- The PAR INDEX of each unit and year by area: the maximum (of the criteria that apply),
-- split into the self-assessed part and the survey part, and the points at each stage
-- (sums of fct_index_criteria, never rounded). A stage's points are null until the stage
-- is reached: appraised once an appraisal is loaded, final once every survey criterion of
-- the unit has its points.
with

criteria as (

    select * from {{ ref('fct_index_criteria') }}

),

area_sums as (

    select
        rubric_id,
        unit_code,
        assessment_year,
        area_code,
        max(rubric_year_from) as rubric_year_from,
        max(unit_name) as unit_name,
        max(unit_kind) as unit_kind,
        max(province_code) as province_code,
        max(area_name_vi) as area_name_vi,
        bool_or(is_self_assessed) as is_self_assessed,
        bool_or(is_appraised) as is_appraised,
        sum(case when not is_not_applicable then max_points else 0 end) as max_points,
        sum(
            case when not is_not_applicable and method <> 'survey' then max_points else 0 end
        ) as self_assessed_max_points,
        sum(case when method = 'survey' then max_points else 0 end) as survey_max_points,
        coalesce(sum(self_assessed_points), 0) as self_assessed_points_known,
        count(case when self_score_status = 'pending' then 1 end) as pending_criteria,
        count(case when self_score_status = 'not_stated' then 1 end) as not_stated_criteria,
        coalesce(sum(appraised_points), 0) as appraised_points_known,
        coalesce(sum(survey_points), 0) as survey_points_known,
        count(case when method = 'survey' and survey_points is null then 1 end)
            as survey_pending_criteria
    from criteria
    group by rubric_id, unit_code, assessment_year, area_code

),

final as (

    select
        rubric_id,
        cast(rubric_year_from as integer) as rubric_year_from,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        cast(assessment_year as integer) as assessment_year,
        area_code,
        area_name_vi,
        cast(max_points as decimal(9, 4)) as max_points,
        cast(self_assessed_max_points as decimal(9, 4)) as self_assessed_max_points,
        cast(survey_max_points as decimal(9, 4)) as survey_max_points,
        is_self_assessed,
        cast(case when is_self_assessed then self_assessed_points_known end as decimal(9, 4))
            as self_assessed_points,
        cast(pending_criteria as bigint) as pending_criteria,
        cast(not_stated_criteria as bigint) as not_stated_criteria,
        is_appraised,
        cast(case when is_appraised then appraised_points_known end as decimal(9, 4))
            as appraised_points,
        cast(survey_points_known as decimal(9, 4)) as survey_points,
        cast(survey_pending_criteria as bigint) as survey_pending_criteria,
        cast(
            case
                when is_appraised and survey_pending_criteria = 0
                    then appraised_points_known + survey_points_known
            end as decimal(9, 4)
        ) as final_points
    from area_sums

)

select * from final
