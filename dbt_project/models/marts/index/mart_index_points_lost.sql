-- The points each unit loses in its PAR INDEX, criterion by criterion, at the stage its
-- index has reached (mart_index_status): every criterion short of its maximum, in the
-- rubric's words, with the unit's own explanation and the appraisal's reason, and every
-- criterion still pending (its points not known yet). Before the final stage the survey
-- criteria are not listed (their points come with the final index).
with

criteria as (

    select * from {{ ref('fct_index_criteria') }}

),

statuses as (

    select * from {{ ref('mart_index_status') }}

),

staged as (

    select
        criteria.*,
        statuses.index_status,
        statuses.index_status_vi,
        case statuses.index_status
            when 'self_assessed' then criteria.self_assessed_points
            when 'appraised' then criteria.appraised_points
            else criteria.final_points
        end as points
    from criteria
    inner join statuses
        on
            criteria.rubric_id = statuses.rubric_id
            and criteria.unit_code = statuses.unit_code
            and criteria.assessment_year = statuses.assessment_year
    where
        not criteria.is_not_applicable
        and (statuses.index_status = 'final' or criteria.method <> 'survey')

),

final as (

    select
        rubric_id,
        unit_code,
        unit_name,
        assessment_year,
        index_status,
        index_status_vi,
        area_code,
        area_name_vi,
        node_code,
        ordinal,
        name_vi,
        method,
        max_points,
        cast(points as decimal(9, 4)) as points,
        cast(max_points - points as decimal(9, 4)) as points_lost,
        case when points is null then 'pending' else 'scored' end as criterion_status,
        self_score,
        appraised_score,
        computed_points,
        explanation,
        appraisal_reason,
        self_assessment_file,
        self_assessment_row
    from staged
    where points is null or points < max_points

)

select * from final
