-- Rule submitted_by_deadline: a file must be loaded by the deadline after its period ends.
-- One row per loaded file with the last period end it reports, its deadline and the days
-- late; days_late > 0 is a finding. The deadline (days after the period's end) is the
-- setting PARWH_SUBMISSION_DEADLINE_DAYS; unset, the view is empty and the rule is off
-- (expectations/cross_suites.py skips it). Reads the raw tables: a file's period is what it
-- states, whichever version of it the marts keep.
{%- set deadline_days = env_var('PARWH_SUBMISSION_DEADLINE_DAYS', '') | trim %}
with

manifest as (

    select * from {{ source('raw', 'file_manifest') }}

),

dossiers as (

    select * from {{ source('raw', 'dossiers') }}

),

surveys as (

    select * from {{ source('raw', 'surveys') }}

),

staff as (

    select * from {{ source('raw', 'staff') }}

),

budget as (

    select * from {{ source('raw', 'budget') }}

),

dossier_records as (

    select * from {{ source('raw', 'dossier_records') }}

),

params as (

    select cast({{ deadline_days or 'null' }} as integer) as deadline_days

),

period_ends as (

    select
        file_id,
        max(period_end) as period_end
    from dossiers
    group by file_id
    union all
    select
        file_id,
        max(period_end) as period_end
    from surveys
    group by file_id
    union all
    select
        file_id,
        max(as_of_date) as period_end
    from staff
    group by file_id
    union all
    select
        file_id,
        max(as_of_date) as period_end
    from budget
    group by file_id
    union all
    select
        file_id,
        last_day(max(received_at)) as period_end
    from dossier_records
    group by file_id

),

file_period_ends as (

    select
        file_id,
        max(period_end) as period_end
    from period_ends
    group by file_id

),

files as (

    select
        file_id,
        any_value(file_name) as source_file,
        any_value(source_family) as source_family,
        cast(min(loaded_at) as date) as loaded_on
    from manifest
    where status = 'loaded'
    group by file_id

),

final as (

    select
        files.source_file,
        files.source_family,
        {{ source_family_vi('files.source_family') }} as family_vi,
        files.loaded_on,
        file_period_ends.period_end,
        params.deadline_days,
        cast(file_period_ends.period_end + to_days(params.deadline_days) as date) as deadline,
        date_diff(
            'day',
            cast(file_period_ends.period_end + to_days(params.deadline_days) as date),
            files.loaded_on
        ) as days_late
    from files
    inner join file_period_ends on files.file_id = file_period_ends.file_id
    cross join params
    where params.deadline_days is not null

)

select * from final
