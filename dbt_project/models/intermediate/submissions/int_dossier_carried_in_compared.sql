-- Continuity of the one-stop-shop dossier reports: the dossiers carried in at the start of a
-- period ("Kỳ trước chuyển qua") against the dossiers still pending at the end of the
-- previous period of the same unit, authority level and field (lĩnh vực). Pending is a stock
-- at a date, so the previous period of a period starting on day S is any period ending on
-- S - 1 day (2023 → 2024-Q1, 2024-Q2 → 2024-Q3 or 2024-H2, 2024-9M → 2024-Q4).
-- Only the current version of each unit × level × period is compared (the file
-- int_dossier_submissions_latest keeps). Two comparisons per period: the unit total (summed
-- over the file's fields, so that a form split by field in one period and not in the next
-- still compares) and each field with the same field of the previous period (trimmed,
-- case-insensitive; ingest stores text as NFC). Where several previous periods end on that
-- day, one row per distinct pending value they state, named by the latest-loaded of them.
-- Pending at the end of a period: the stated pending total where the form states it, else
-- pending not yet due + pending overdue (row by row, then summed).
-- difference = carried_in - previous_pending; a non-zero difference is a warning.
with

dossiers as (

    select * from {{ ref('stg_raw__dossiers') }}

),

current_versions as (

    select * from {{ ref('int_dossier_submissions_latest') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

current_rows as (

    select
        dossiers.unit_code,
        dossiers.authority_level,
        dossiers.period_start,
        dossiers.period_end,
        dossiers.period_label,
        dossiers.file_id,
        dossiers.source_row,
        dossiers.field_name,
        lower(trim(dossiers.field_name)) as field_key,
        dossiers.carried_in,
        coalesce(
            dossiers.pending,
            case
                when dossiers.pending_not_due is null and dossiers.pending_overdue is null
                    then null
                else coalesce(dossiers.pending_not_due, 0) + coalesce(dossiers.pending_overdue, 0)
            end
        ) as pending_at_end,
        dossiers.loaded_at
    from dossiers
    inner join current_versions
        on
            dossiers.unit_code = current_versions.unit_code
            and dossiers.authority_level = current_versions.authority_level
            and dossiers.period_start = current_versions.period_start
            and dossiers.period_end = current_versions.period_end
            and dossiers.file_id = current_versions.file_id
    where not dossiers.is_total_row

),

unit_stocks as (

    select
        unit_code,
        authority_level,
        'unit' as comparison_level,
        '' as field_key,
        '' as field_name,
        period_start,
        period_end,
        period_label,
        file_id,
        min(source_row) as source_row,
        cast(sum(carried_in) as bigint) as carried_in,
        cast(sum(pending_at_end) as bigint) as pending_at_end,
        max(loaded_at) as loaded_at
    from current_rows
    group by unit_code, authority_level, period_start, period_end, period_label, file_id

),

field_stocks as (

    select
        unit_code,
        authority_level,
        'field' as comparison_level,
        field_key,
        min(field_name) as field_name,
        period_start,
        period_end,
        period_label,
        file_id,
        min(source_row) as source_row,
        cast(sum(carried_in) as bigint) as carried_in,
        cast(sum(pending_at_end) as bigint) as pending_at_end,
        max(loaded_at) as loaded_at
    from current_rows
    where field_key <> ''
    group by
        unit_code, authority_level, field_key, period_start, period_end, period_label, file_id

),

stocks as (

    select * from unit_stocks
    union all
    select * from field_stocks

),

paired as (

    select
        this_period.unit_code,
        this_period.authority_level,
        this_period.comparison_level,
        this_period.field_key,
        this_period.field_name,
        this_period.period_start,
        this_period.period_end,
        this_period.period_label,
        this_period.file_id,
        this_period.source_row,
        this_period.carried_in,
        previous_period.period_start as previous_period_start,
        previous_period.period_end as previous_period_end,
        previous_period.period_label as previous_period_label,
        previous_period.file_id as previous_file_id,
        previous_period.source_row as previous_source_row,
        previous_period.pending_at_end as previous_pending,
        count(*) over (
            partition by
                this_period.unit_code,
                this_period.authority_level,
                this_period.comparison_level,
                this_period.field_key,
                this_period.period_start,
                this_period.period_end,
                previous_period.pending_at_end
        ) as previous_periods,
        row_number() over (
            partition by
                this_period.unit_code,
                this_period.authority_level,
                this_period.comparison_level,
                this_period.field_key,
                this_period.period_start,
                this_period.period_end,
                previous_period.pending_at_end
            order by
                previous_period.loaded_at desc,
                previous_period.period_start desc,
                previous_period.file_id desc
        ) as value_rank
    from stocks as this_period
    inner join stocks as previous_period
        on
            this_period.unit_code = previous_period.unit_code
            and this_period.authority_level = previous_period.authority_level
            and this_period.comparison_level = previous_period.comparison_level
            and this_period.field_key = previous_period.field_key
            and previous_period.period_end = cast(this_period.period_start - interval 1 day as date)
    where
        this_period.carried_in is not null
        and previous_period.pending_at_end is not null

),

final as (

    select
        paired.unit_code,
        paired.authority_level,
        paired.comparison_level,
        paired.field_name,
        paired.period_start,
        paired.period_end,
        paired.period_label,
        paired.previous_period_start,
        paired.previous_period_end,
        paired.previous_period_label,
        paired.carried_in,
        paired.previous_pending,
        paired.carried_in - paired.previous_pending as difference,
        cast(paired.previous_periods as bigint) as previous_periods,
        paired.file_id,
        current_file.file_name as source_file,
        paired.source_row,
        paired.previous_file_id,
        previous_file.file_name as previous_source_file,
        paired.previous_source_row
    from paired
    left join file_names as current_file
        on paired.file_id = current_file.file_id
    left join file_names as previous_file
        on paired.previous_file_id = previous_file.file_id
    where paired.value_rank = 1

)

select * from final
