-- One row per unit × authority level × period: the submitted aggregated form where a
-- unit sent one (it is the official figure), otherwise the aggregate of its records.
with

submitted as (

    select * from {{ ref('int_dossier_submissions_latest') }}

),

from_records as (

    select * from {{ ref('int_dossier_records_aggregated') }}

),

records_without_submission as (

    select from_records.*
    from from_records
    left join submitted
        on
            from_records.unit_code = submitted.unit_code
            and from_records.authority_level = submitted.authority_level
            and from_records.period_start = submitted.period_start
            and from_records.period_end = submitted.period_end
    where submitted.unit_code is null

),

unioned as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        period_label,
        source_kind,
        file_id,
        source_row,
        {{ measure_list(dossier_stats_measures(), "@") }}
    from submitted
    union all
    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        period_label,
        source_kind,
        file_id,
        source_row,
        {{ measure_list(dossier_stats_measures(), "@") }}
    from records_without_submission

)

select * from unioned
