-- Survey forms (one row per form and question) aggregated per unit, authority level and
-- calendar year of the survey date. A form is satisfied when its overall-satisfaction
-- answer is 4 or 5.
with

responses as (

    select * from {{ ref('stg_raw__survey_responses') }}

),

latest_responses as (

    -- a form sent again in a corrected file: the latest file wins
    {{ latest_submission('responses', ['unit_code', 'response_id']) | indent(4) }}

),

forms as (

    select
        file_id,
        response_id,
        unit_code,
        authority_level,
        min(source_row) as source_row,
        make_date(year(min(survey_date)), 1, 1) as period_start,
        make_date(year(min(survey_date)), 12, 31) as period_end,
        max(case when is_overall then answer end) as overall_answer
    from latest_responses
    group by file_id, response_id, unit_code, authority_level

),

aggregated as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ period_label('period_start', 'period_end') }} as period_label,
        'forms' as source_kind,
        min(file_id) as file_id,
        min(source_row) as source_row,
        count(*) as forms,
        count(*) filter (where overall_answer >= 4) as satisfied_forms
    from forms
    where overall_answer is not null
    group by unit_code, authority_level, period_start, period_end

)

select * from aggregated
