-- sqlfluff:indentation:template_blocks_indent:False
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key=['unit_code', 'period_start'],
        on_schema_change='fail',
    )
}}
-- Record-level dossier exports aggregated per unit × level × calendar month.
-- A dossier is active in a month when it was received by the month's end and not finished
-- before its start; on time = finished on or before the due date (compared as dates).
--
-- Incremental: a night's new records (loaded after the last build) touch only the months
-- of their units from the earliest receipt month among them and the earlier versions of
-- the same dossiers; when a later month appears, every unit's open dossiers are counted
-- in it. Those unit-months are recomputed from every version of the dossiers active in
-- them (the latest export of a dossier wins) and replace the stored rows (delete+insert
-- on unit × month). A unit-month left without any active dossier keeps a row of zeros
-- (carried_in + received = 0) so that its old row is deleted; consumers drop such rows.
-- `parwh run --full-refresh` rebuilds the whole table.
with

records as {{ not_materialized() }} (

    select * from {{ ref('stg_raw__dossier_records') }}

),

bounds as (

    select
        cast(date_trunc('month', min(received_at)) as date) as first_month,
        cast(date_trunc('month', max(coalesce(finished_at, received_at))) as date) as last_month,
        max(loaded_at) as loaded_through
    from records

),

{% if is_incremental() %}

previous_build as (

    select
        coalesce(max(records_loaded_through), timestamp '1900-01-01') as loaded_through,
        max(period_start) as last_month
    from {{ this }}

),

new_records as (

    select
        unit_code,
        dossier_id
    from records
    where loaded_at > (select previous_build.loaded_through from previous_build)

),

touched_versions as (

    -- the new records and every earlier version of the same dossiers
    select
        records.unit_code,
        records.received_at
    from records
    semi join new_records
        on
            records.unit_code = new_records.unit_code
            and records.dossier_id = new_records.dossier_id

),

scope_of_touched as (

    select
        unit_code,
        cast(date_trunc('month', min(received_at)) as date) as first_month
    from touched_versions
    group by unit_code

),

scope_of_new_months as (

    -- a month later than any built before: open dossiers of every unit are active in it
    select distinct
        built.unit_code,
        cast(previous_build.last_month + interval 1 month as date) as first_month
    from {{ this }} as built
    cross join previous_build
    cross join bounds
    where bounds.last_month > previous_build.last_month

),

scope as (

    select
        unit_code,
        min(first_month) as first_month
    from (
        select * from scope_of_touched
        union all
        select * from scope_of_new_months
    ) as scopes
    group by unit_code

),

candidates as (

    select
        records.unit_code,
        records.dossier_id
    from records
    inner join scope on records.unit_code = scope.unit_code
    where
        coalesce(cast(records.finished_at as date), date '9999-12-31')
        >= scope.first_month

),

versions as (

    select records.*
    from records
    semi join candidates
        on
            records.unit_code = candidates.unit_code
            and records.dossier_id = candidates.dossier_id

),

{% else %}

versions as (

    select * from records

),

{% endif %}

latest_records as (

    -- the same dossier exported twice (a corrected export): the latest file wins
    select *
    from versions
    qualify row_number() over (
        partition by unit_code, dossier_id order by loaded_at desc, file_id desc
    ) = 1

),

{% if is_incremental() %}

scoped_records as (

    select
        latest_records.*,
        scope.first_month as scope_first_month
    from latest_records
    inner join scope on latest_records.unit_code = scope.unit_code

),

{% else %}

scoped_records as (

    select
        latest_records.*,
        bounds.first_month as scope_first_month
    from latest_records
    cross join bounds

),

{% endif %}

months as (

    select
        cast(
            unnest(generate_series(first_month, last_month, interval 1 month)) as date
        ) as period_start
    from bounds
    where first_month is not null

),

periods as (

    select
        period_start,
        cast(last_day(period_start) as date) as period_end
    from months

),

active as (

    select
        scoped_records.*,
        periods.period_start,
        periods.period_end,
        cast(scoped_records.received_at as date) < periods.period_start as is_carried_in,
        scoped_records.finished_at is not null
        and cast(scoped_records.finished_at as date) <= periods.period_end as is_resolved,
        cast(scoped_records.finished_at as date) < cast(scoped_records.due_at as date)
            as is_early,
        cast(scoped_records.finished_at as date) = cast(scoped_records.due_at as date)
            as is_on_due_date,
        cast(scoped_records.due_at as date) < periods.period_end as is_past_due_at_end
    from scoped_records
    inner join periods
        on
            scoped_records.scope_first_month <= periods.period_start
            and cast(scoped_records.received_at as date) <= periods.period_end
            and (
                scoped_records.finished_at is null
                or cast(scoped_records.finished_at as date) >= periods.period_start
            )

),

aggregated as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        min(file_id) as file_id,
        count(*) filter (where is_carried_in) as carried_in,
        count(*) filter (where not is_carried_in) as received,
        count(*) filter (where not is_carried_in and channel = 'truc_tuyen') as received_online,
        count(*) filter (where not is_carried_in and channel = 'buu_chinh') as received_postal,
        count(*) filter (where is_resolved) as resolved,
        count(*) filter (where is_resolved and is_early) as resolved_early,
        count(*) filter (where is_resolved and (is_early or is_on_due_date)) as resolved_on_time,
        count(*) filter (
            where is_resolved and not is_early and not is_on_due_date
        ) as resolved_late,
        count(*) filter (where not is_resolved) as pending,
        count(*) filter (where not is_resolved and not is_past_due_at_end) as pending_not_due,
        count(*) filter (where not is_resolved and is_past_due_at_end) as pending_overdue,
        count(*) filter (
            where not is_carried_in and online_level = 'toan_trinh'
        ) as received_fully_online,
        count(*) filter (
            where not is_carried_in and is_fully_online_eligible
        ) as received_fully_online_eligible,
        count(*) filter (where not is_carried_in and is_digitised) as received_digitised,
        count(*) filter (
            where is_resolved and has_electronic_result
        ) as resolved_with_electronic_result,
        count(*) filter (where not is_carried_in and is_fee_required) as received_fee_required,
        count(*) filter (where not is_carried_in and is_paid_online) as received_paid_online,
        count(*) filter (
            where is_resolved and citizen_rating = 'dissatisfied'
        ) as resolved_rated_dissatisfied
    from active
    group by unit_code, authority_level, period_start, period_end

),

{% if is_incremental() %}

emptied as (

    -- stored unit-months in scope left without any active dossier: a row of zeros replaces
    -- theirs
    select distinct
        scope.unit_code,
        cast(null as varchar) as authority_level,
        periods.period_start,
        periods.period_end,
        cast(null as varchar) as file_id,
        {{ measure_list(records_monthly_measures(), "cast(0 as bigint) as @") }}
    from scope
    inner join periods on scope.first_month <= periods.period_start
    inner join {{ this }} as built
        on
            scope.unit_code = built.unit_code
            and periods.period_start = built.period_start
    where not exists (
        select 1
        from aggregated
        where
            aggregated.unit_code = scope.unit_code
            and aggregated.period_start = periods.period_start
    )

),

{% else %}

emptied as (

    select * from aggregated where false

),

{% endif %}

final as (

    select
        *,
        (select bounds.loaded_through from bounds) as records_loaded_through
    from (
        select * from aggregated
        union all
        select * from emptied
    ) as monthly

)

select * from final
