-- The PAR INDEX of each unit and year criterion by criterion (the leaves of its rubric):
-- the unit's self-score with its explanation, the points the warehouse computes from data
-- (computed and survey criteria, fct_scores), the appraised score, and the points at each
-- stage of the index: self-assessed (the self-scores of the self-assessed and computed
-- criteria), appraised (the appraised score where the appraisal gives one, else the
-- self-score) and final (the appraised points plus the survey criteria's points: the
-- appraisal's where it gives one, else computed from the survey marts). A criterion whose
-- points are not known yet ("Chưa xác định", or not stated) is pending: it counts in the
-- maximum and earns no points. A computed criterion that does not apply (no dossiers, as
-- the rubric says) and that the unit did not score is not applicable: it leaves the maximum.
with

unit_rubrics as (

    select * from {{ ref('int_index_unit_rubrics') }}

),

rubric_nodes as (

    select * from {{ ref('int_rubric_nodes') }}

),

self_scores as (

    select * from {{ ref('int_index_self_scores') }}

),

appraised_scores as (

    select * from {{ ref('int_index_appraised_scores') }}

),

computed_scores as (

    select * from {{ ref('fct_scores') }}

),

source_files as (

    select * from {{ ref('int_source_files') }}

),

self_assessed_unit_years as (

    select distinct
        unit_code,
        assessment_year
    from self_scores

),

appraised_unit_years as (

    select distinct
        unit_code,
        assessment_year
    from appraised_scores

),

leaves as (

    select
        unit_rubrics.rubric_id,
        unit_rubrics.year_from,
        unit_rubrics.unit_code,
        unit_rubrics.unit_name,
        unit_rubrics.unit_kind,
        unit_rubrics.province_code,
        unit_rubrics.assessment_year,
        rubric_nodes.area_code,
        rubric_nodes.area_name_vi,
        rubric_nodes.node_code,
        rubric_nodes.parent_code,
        rubric_nodes.ordinal,
        rubric_nodes.name_vi,
        rubric_nodes.method,
        rubric_nodes.indicator_code,
        rubric_nodes.max_points,
        rubric_nodes.source_row as rubric_row
    from unit_rubrics
    inner join rubric_nodes
        on
            unit_rubrics.rubric_id = rubric_nodes.rubric_id
            and unit_rubrics.file_name = rubric_nodes.file_name
    where rubric_nodes.is_leaf

),

joined as (

    select
        leaves.*,
        self_scores.max_points as stated_max_points,
        self_scores.self_score,
        coalesce(self_scores.self_score_pending, false) as self_score_pending,
        self_scores.evidence,
        self_scores.explanation,
        self_scores.file_id as self_file_id,
        self_scores.source_row as self_source_row,
        appraised_scores.appraised_score,
        appraised_scores.appraisal_reason,
        appraised_scores.file_id as appraisal_file_id,
        self_assessed_unit_years.unit_code is not null as is_self_assessed,
        appraised_unit_years.unit_code is not null as is_appraised,
        computed_scores.points as computed_points,
        computed_scores.criterion_status as computed_status,
        computed_scores.measured_value
    from leaves
    left join self_scores
        on
            leaves.unit_code = self_scores.unit_code
            and leaves.assessment_year = self_scores.assessment_year
            and leaves.node_code = self_scores.node_code
    left join appraised_scores
        on
            leaves.unit_code = appraised_scores.unit_code
            and leaves.assessment_year = appraised_scores.assessment_year
            and leaves.node_code = appraised_scores.node_code
    left join self_assessed_unit_years
        on
            leaves.unit_code = self_assessed_unit_years.unit_code
            and leaves.assessment_year = self_assessed_unit_years.assessment_year
    left join appraised_unit_years
        on
            leaves.unit_code = appraised_unit_years.unit_code
            and leaves.assessment_year = appraised_unit_years.assessment_year
    left join computed_scores
        on
            leaves.rubric_id = computed_scores.rubric_id
            and leaves.unit_code = computed_scores.unit_code
            and leaves.node_code = computed_scores.criterion_code
            and computed_scores.period_kind = 'year'
            and year(computed_scores.period_end) = leaves.assessment_year

),

staged as (

    select
        *,
        -- a computed criterion without dossiers that nobody scored leaves the maximum
        coalesce(
            computed_status = 'not_applicable'
            and self_score is null
            and appraised_score is null,
            false
        ) as is_not_applicable,
        case when is_self_assessed and method <> 'survey' then self_score end
            as self_assessed_points,
        case
            when is_appraised and method <> 'survey' then coalesce(appraised_score, self_score)
        end as appraised_points,
        case when method = 'survey' then coalesce(appraised_score, computed_points) end
            as survey_points
    from joined

),

final as (

    select
        staged.rubric_id,
        staged.year_from as rubric_year_from,
        staged.unit_code,
        staged.unit_name,
        staged.unit_kind,
        staged.province_code,
        staged.assessment_year,
        staged.area_code,
        staged.area_name_vi,
        staged.node_code,
        staged.parent_code,
        staged.ordinal,
        staged.name_vi,
        staged.method,
        staged.indicator_code,
        cast(staged.max_points as decimal(9, 4)) as max_points,
        cast(staged.stated_max_points as decimal(9, 4)) as stated_max_points,
        staged.is_not_applicable,
        cast(staged.self_score as decimal(9, 4)) as self_score,
        case
            when staged.method = 'survey' then 'not_self_assessed'
            when staged.is_not_applicable then 'not_applicable'
            when staged.self_score is not null then 'scored'
            when staged.self_score_pending then 'pending'
            else 'not_stated'
        end as self_score_status,
        staged.evidence,
        staged.explanation,
        cast(staged.computed_points as decimal(9, 4)) as computed_points,
        staged.computed_status,
        staged.measured_value,
        cast(staged.appraised_score as decimal(9, 4)) as appraised_score,
        staged.appraisal_reason,
        staged.is_self_assessed,
        staged.is_appraised,
        cast(staged.self_assessed_points as decimal(9, 4)) as self_assessed_points,
        cast(staged.appraised_points as decimal(9, 4)) as appraised_points,
        cast(staged.survey_points as decimal(9, 4)) as survey_points,
        cast(
            case
                when staged.method = 'survey' then staged.survey_points
                else staged.appraised_points
            end as decimal(9, 4)
        ) as final_points,
        self_files.file_name as self_assessment_file,
        staged.self_source_row as self_assessment_row,
        appraisal_files.file_name as appraisal_file,
        staged.rubric_row
    from staged
    left join source_files as self_files
        on staged.self_file_id = self_files.file_id
    left join source_files as appraisal_files
        on staged.appraisal_file_id = appraisal_files.file_id

)

select * from final
