-- Self-scores against the data: for every criterion of a unit's PAR INDEX that the
-- warehouse computes from data (fct_scores: computed criteria, and survey criteria with an
-- indicator), the points the unit claims, the points the data gives (exact, rounded as the
-- rubric says: what the appraisal should give), their difference and the measured value.
-- A difference is a finding (rule self_score_contradicted_by_data).
with

criteria as (

    select * from {{ ref('fct_index_criteria') }}

),

indicators as (

    select * from {{ ref('indicators') }}

),

final as (

    select
        criteria.rubric_id,
        criteria.unit_code,
        criteria.unit_name,
        criteria.assessment_year,
        criteria.area_code,
        criteria.node_code,
        criteria.name_vi,
        criteria.method,
        criteria.indicator_code,
        indicators.name_vi as indicator_name_vi,
        indicators.unit as indicator_unit,
        criteria.max_points,
        criteria.self_score as claimed_points,
        criteria.computed_points,
        cast(criteria.self_score - criteria.computed_points as decimal(9, 4)) as difference,
        criteria.computed_status,
        criteria.measured_value,
        criteria.appraised_score,
        criteria.explanation,
        criteria.self_assessment_file,
        criteria.self_assessment_row
    from criteria
    left join indicators
        on criteria.indicator_code = indicators.indicator_code
    where criteria.computed_status is not null

)

select * from final
