{{ config(materialized="table", enabled=true) }}

-- Every totals row of a submitted file against the sum of its parts, per measure.
-- A difference is a sum-of-parts finding (seed 004: 733 posts stated, parts add to 732).
with

dossiers as (

    select * from {{ ref('stg_raw__dossiers') }}

),

staff as (

    select * from {{ ref('stg_raw__staff') }}

),

surveys as (

    select * from {{ ref('stg_raw__surveys') }}

),

budget as (

    select * from {{ ref('stg_raw__budget') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

compared as (

    {{ compare_totals('dossiers', 'dossiers',
        ['carried_in', 'received', 'resolved', 'resolved_on_time_submitted', 'resolved_late',
         'pending_not_due', 'pending_overdue'], 'totals.period_label') }}
    union all
    {{ compare_totals('staff', 'staff', ['quota', 'actual'], none) }}
    union all
    {{ compare_totals('surveys', 'surveys', ['forms', 'satisfied_forms'], 'totals.period_label') }}
    union all
    {{ compare_totals('budget', 'budget', ['plan_mvnd', 'disbursed_mvnd'], none) }}

),

final as (

    select
        compared.source_family,
        compared.file_id,
        file_names.file_name as source_file,
        compared.source_row,
        cast(null as string) as unit_code,
        compared.period_label,
        compared.measure,
        compared.stated_total,
        compared.sum_of_parts,
        compared.stated_total - compared.sum_of_parts as difference
    from compared
    left join file_names
        on compared.file_id = file_names.file_id
    where compared.sum_of_parts is not null

)

select * from final
