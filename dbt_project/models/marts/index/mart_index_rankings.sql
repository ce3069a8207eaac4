-- The PAR INDEX rankings: one ranking per rubric, year, scope (the provinces of the
-- country, or the units of one province) and stage, never mixing stages. A unit is ranked
-- at every stage it has reached: on its self-assessed score, on its appraised score, on
-- its final score. rank is 1 + the number of units of the ranking with a higher published
-- score (ties share a rank: 1, 2, 2, 4); the score ranked is the published score.
with

statuses as (

    select * from {{ ref('mart_index_status') }}

),

stages as (

    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        assessment_year,
        'self_assessed' as ranked_status,
        self_assessed_points as points,
        self_assessed_max_points as max_points,
        self_assessed_score as score
    from statuses
    where self_assessed_score is not null

    union all

    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        assessment_year,
        'appraised' as ranked_status,
        appraised_points as points,
        self_assessed_max_points as max_points,
        appraised_score as score
    from statuses
    where appraised_score is not null

    union all

    select
        rubric_id,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        assessment_year,
        'final' as ranked_status,
        final_points as points,
        max_points,
        final_score as score
    from statuses
    where final_score is not null

),

scoped as (

    select
        *,
        case when unit_kind = 'province' then 'VN' else province_code end as scope_code
    from stages

),

ranked as (

    select
        *,
        rank() over (
            partition by rubric_id, assessment_year, scope_code, ranked_status
            order by score desc
        ) as ranking_rank,
        count(*) over (
            partition by rubric_id, assessment_year, scope_code, ranked_status
        ) as ranked_units
    from scoped

),

final as (

    select
        rubric_id,
        cast(assessment_year as integer) as assessment_year,
        scope_code,
        ranked_status,
        {{ index_status_vi('ranked_status') }} as ranked_status_vi,
        unit_code,
        unit_name,
        unit_kind,
        province_code,
        cast(points as decimal(9, 4)) as points,
        cast(max_points as decimal(9, 4)) as max_points,
        cast(score as decimal(7, 4)) as score,
        cast(ranking_rank as bigint) as rank,
        cast(ranked_units as bigint) as ranked_units
    from ranked

)

select * from final
