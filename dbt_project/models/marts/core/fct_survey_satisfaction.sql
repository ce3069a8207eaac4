-- Citizen satisfaction per unit × authority level × period: forms, satisfied forms
-- (overall answer 4 or 5) and the satisfaction rate.
with

results as (

    select * from {{ ref('int_survey_results_unioned') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

final as (

    select
        results.unit_code,
        results.authority_level,
        results.period_label,
        results.period_start,
        results.period_end,
        results.source_kind,
        results.forms,
        results.satisfied_forms,
        {{ safe_rate('results.satisfied_forms', 'results.forms') }} as satisfaction_rate,
        file_names.file_name as source_file,
        results.source_row
    from results
    left join file_names
        on results.file_id = file_names.file_id

)

select * from final
