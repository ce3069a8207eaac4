-- One row per unit and year of the PAR INDEX: how far its index has come (self-assessed,
-- appraised, final) and its points and score at each stage reached. Scores are percent of
-- the stage's maximum, rounded once half up to the rubric's decimals: the self-assessed and
-- appraised scores of the self-assessed part (pending criteria count in the maximum), the
-- final score of the whole index with survey points.
with

areas as (

    select * from {{ ref('fct_index_areas') }}

),

unit_rubrics as (

    select * from {{ ref('int_index_unit_rubrics') }}

),

bands as (

    select * from {{ ref('int_rubric_bands') }}

),

unit_sums as (

    select
        rubric_id,
        rubric_year_from,
        unit_code,
        assessment_year,
        max(unit_name) as unit_name,
        max(unit_kind) as unit_kind,
        max(province_code) as province_code,
        bool_or(is_appraised) as is_appraised,
        sum(max_points) as max_points,
        sum(self_assessed_max_points) as self_assessed_max_points,
        sum(survey_max_points) as survey_max_points,
        sum(self_assessed_points) as self_assessed_points,
        sum(pending_criteria) as pending_criteria,
        sum(not_stated_criteria) as not_stated_criteria,
        sum(appraised_points) as appraised_points,
        sum(survey_points) as survey_points,
        sum(survey_pending_criteria) as survey_pending_criteria
    from areas
    group by rubric_id, rubric_year_from, unit_code, assessment_year

),

scored as (

    select
        unit_sums.*,
        case
            when unit_sums.is_appraised and unit_sums.survey_pending_criteria = 0
                then unit_sums.appraised_points + unit_sums.survey_points
        end as final_points,
        {{ rounded_quotient('100 * unit_sums.self_assessed_points',
            'unit_sums.self_assessed_max_points', 'unit_rubrics.score_decimals') }}
            as self_assessed_score,
        {{ rounded_quotient('100 * unit_sums.appraised_points',
            'unit_sums.self_assessed_max_points', 'unit_rubrics.score_decimals') }}
            as appraised_score,
        {{ rounded_quotient('100 * (unit_sums.appraised_points + unit_sums.survey_points)',
            'unit_sums.max_points', 'unit_rubrics.score_decimals') }}
            as whole_score
    from unit_sums
    inner join unit_rubrics
        on
            unit_sums.unit_code = unit_rubrics.unit_code
            and unit_sums.assessment_year = unit_rubrics.assessment_year

),

staged as (

    select
        *,
        case
            when final_points is not null then 'final'
            when is_appraised then 'appraised'
            else 'self_assessed'
        end as index_status,
        case when final_points is not null then whole_score end as final_score
    from scored

),

banded as (

    select
        staged.rubric_id,
        staged.unit_code,
        staged.assessment_year,
        max(bands.min_score) as band_min_score
    from staged
    inner join bands
        on
            staged.rubric_id = bands.rubric_id
            and staged.rubric_year_from = bands.year_from
            and staged.final_score >= bands.min_score
    group by staged.rubric_id, staged.unit_code, staged.assessment_year

),

final as (

    select
        staged.rubric_id,
        cast(staged.rubric_year_from as integer) as rubric_year_from,
        staged.unit_code,
        staged.unit_name,
        staged.unit_kind,
        staged.province_code,
        cast(staged.assessment_year as integer) as assessment_year,
        staged.index_status,
        {{ index_status_vi('staged.index_status') }} as index_status_vi,
        cast(staged.max_points as decimal(9, 4)) as max_points,
        cast(staged.self_assessed_max_points as decimal(9, 4)) as self_assessed_max_points,
        cast(staged.survey_max_points as decimal(9, 4)) as survey_max_points,
        cast(staged.self_assessed_points as decimal(9, 4)) as self_assessed_points,
        cast(staged.pending_criteria as bigint) as pending_criteria,
        cast(staged.not_stated_criteria as bigint) as not_stated_criteria,
        cast(staged.self_assessed_score as decimal(7, 4)) as self_assessed_score,
        cast(case when staged.is_appraised then staged.appraised_points end as decimal(9, 4))
            as appraised_points,
        cast(case when staged.is_appraised then staged.appraised_score end as decimal(7, 4))
            as appraised_score,
        cast(staged.survey_points as decimal(9, 4)) as survey_points_known,
        cast(staged.survey_pending_criteria as bigint) as survey_pending_criteria,
        cast(staged.final_points as decimal(9, 4)) as final_points,
        cast(staged.final_score as decimal(7, 4)) as final_score,
        bands.band_vi as final_band_vi
    from staged
    left join banded
        on
            staged.rubric_id = banded.rubric_id
            and staged.unit_code = banded.unit_code
            and staged.assessment_year = banded.assessment_year
    left join bands
        on
            staged.rubric_id = bands.rubric_id
            and staged.rubric_year_from = bands.year_from
            and banded.band_min_score = bands.min_score

)

select * from final
