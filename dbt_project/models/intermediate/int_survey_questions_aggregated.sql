-- Satisfaction per survey element (question), per unit, authority level and year:
-- answers of 4 or 5 over answers given.
with

responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

aggregated as (

    select
        unit_code,
        authority_level,
        make_date(year(survey_date), 1, 1) as period_start,
        make_date(year(survey_date), 12, 31) as period_end,
        question_code,
        bool_or(is_overall) as is_overall,
        count(*) as answers,
        count(*) filter (where answer >= 4) as satisfied_answers
    from responses
    where answer is not null
    group by
        unit_code,
        authority_level,
        make_date(year(survey_date), 1, 1),
        make_date(year(survey_date), 12, 31),
        question_code

),

final as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ period_label('period_start', 'period_end') }} as period_label,
        question_code,
        is_overall,
        answers,
        satisfied_answers,
        {{ safe_rate('satisfied_answers', 'answers') }} as satisfaction_rate
    from aggregated

)

select * from final
