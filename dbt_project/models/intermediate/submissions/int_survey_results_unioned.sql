-- Survey results per unit × authority level × period: the submitted aggregate where a
-- unit sent one (latest file wins), otherwise the aggregate of its survey forms.
with

surveys as (

    select * from {{ ref('stg_raw__surveys') }}

),

from_forms as (

    select * from {{ ref('int_survey_forms_aggregated') }}

),

data_rows as (

    select *
    from surveys
    where not is_total_row

),

latest_rows as (

    {{ latest_submission('data_rows',
        ['unit_code', 'authority_level', 'period_start', 'period_end']) | indent(4) }}

),

latest_submitted as (

    -- one row per key: a submitted aggregate states each key once (the first row if not)
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        period_label,
        'aggregated' as source_kind,
        file_id,
        source_row,
        forms,
        satisfied_forms
    from latest_rows
    qualify row_number() over (
        partition by unit_code, authority_level, period_start, period_end
        order by source_row asc
    ) = 1

),

forms_without_submission as (

    select from_forms.*
    from from_forms
    left join latest_submitted
        on
            from_forms.unit_code = latest_submitted.unit_code
            and from_forms.authority_level = latest_submitted.authority_level
            and from_forms.period_start = latest_submitted.period_start
            and from_forms.period_end = latest_submitted.period_end
    where latest_submitted.unit_code is null

),

unioned as (

    select * from latest_submitted
    union all
    select * from forms_without_submission

)

select * from unioned
