-- Rule self_assessment_states_every_criterion: every criterion of the unit's rubric that
-- the unit scores itself must be in its self-assessment with a score or "Chưa xác định"; a
-- criterion left out or blank earns no points and is a finding (fct_index_criteria,
-- self_score_status not_stated). One row per self-assessed criterion of each unit and year.
with

criteria as (

    select * from {{ ref('fct_index_criteria') }}

),

final as (

    select
        unit_code,
        cast(assessment_year as string) as period_label,
        self_assessment_file as source_file,
        node_code,
        rubric_id,
        {{ points_text_vi('max_points') }} as max_text,
        case when self_score_status = 'not_stated' then 1 else 0 end as not_stated
    from criteria
    where
        is_self_assessed
        and method <> 'survey'

)

select * from final
