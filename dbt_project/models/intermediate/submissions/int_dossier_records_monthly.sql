-- sqlfluff:indentation:template_blocks_indent:False
{#- a night rewrites whole months: delete+insert on DuckDB; on Spark (Parquet tables, no
    delete) insert_overwrite of the months' partitions (macros/cross_engine.sql) -#}
{{ config(**rewrite_by_partition('period_start')) }}
-- Record-level dossier exports aggregated per unit × level × calendar month.
-- A dossier is active in a month when it was received by the month's end and not finished
-- before its start; on time = finished on or before the due date (compared as dates). When
-- a dossier was exported more than once (a corrected export), its latest version counts.
-- Statuses (the portal's TrangThaiHoSo, staged as vocabulary codes): a dossier never
-- received (not_received) counts nowhere; one that ended counts, in the month it ended, as
-- resolved (status resolved, or no status and a finish date), withdrawn or stopped; one still
-- open at a month's end counts as waiting_supplement (its status) or pending (in process, or
-- no status and no finish date). So carried_in + received = resolved + withdrawn + stopped
-- + pending + waiting_supplement in every month.
--
-- Every count is a sum over dossiers, so a night adds to the stored months what its new
-- records change: +1 for the latest new version of each dossier, -1 for the version it
-- supersedes (the one counted until tonight), in every built month each is active in.
-- Only the stored rows of the months touched are read and rewritten (delete+insert by
-- month; insert_overwrite of the month's partition on Spark); the history is read only
-- to find superseded versions (dossier ids of the new records) and, on the night a later
-- month appears, the dossiers still open then (they are active in it; on DuckDB those of
-- earlier nights are read from the maintained int_dossier_records_open when it is current:
-- macros/open_dossiers.sql). A unit-month whose
-- dossiers all moved away keeps a row of zeros (carried_in + received = 0); consumers
-- drop such rows.
-- `parwh run --full-refresh` rebuilds the whole table; so does a night whose stored table
-- lacks a measure (built before the measure existed: its months are all counted again).
{#- what the stored table was built through, as literals (macros/records_measures.sql) -#}
{%- set add_to_stored = false -%}
{%- set open_table = none -%}
{%- if is_incremental() -%}
    {%- set state = records_monthly_state(this, ref('stg_raw__dossier_records')) -%}
    {%- set add_to_stored = state['has_every_measure'] -%}
    {%- set stored_loaded_through = state['loaded_through'] -%}
    {%- set new_months = state['new_months'] -%}
    {%- set built_through = state['built_through'] -%}
    {%- if add_to_stored and new_months -%}
        {#- the dossiers still open, as the night before left them (DuckDB; none when it is
            not current: macros/open_dossiers.sql) -#}
        {%- set open_table = maintained_open_dossiers(
            ref('stg_raw__dossier_records'), stored_loaded_through
        ) -%}
    {%- endif -%}
{%- endif %}
with

records as {{ not_materialized() }} (

    select * from {{ ref('stg_raw__dossier_records') }}

),

{% if add_to_stored %}

built as (

    select * from {{ this }}

),

previous_build as (

    select
        {{ stored_loaded_through }} as loaded_through,
        coalesce(max(period_start), date '1900-01-01') as last_month
    from built

),

{%- set tonight = records_tonight(
    ref('stg_raw__dossier_records'), stored_loaded_through, new_months, built_through
) %}

latest_new as (

    {{ tonight['latest_new'] }}

),

superseded as (

    {{ tonight['superseded'] }}

),

bounds as (

    select
        previous_build.last_month as built_through,
        greatest(
            previous_build.last_month,
            cast(
                date_trunc('month', max(coalesce(latest_new.finished_at, latest_new.received_at)))
                as date
            )
        ) as last_month,
        coalesce(max(latest_new.loaded_at), previous_build.loaded_through) as loaded_through
    from previous_build
    left join latest_new on true
    group by previous_build.last_month, previous_build.loaded_through

),

{% if new_months and 'latest_in_new_months' in tonight -%}
latest_in_new_months as (

    -- the latest version of every dossier still open after the last built month (Spark:
    -- computed before the query, macros/records_measures.sql)
    {{ tonight['latest_in_new_months'] }}

),
{%- elif new_months and open_table is not none -%}
latest_in_new_months as (

    -- the latest version of every dossier still open after the last built month: those of
    -- earlier nights from the maintained table (no finish date: macros/open_dossiers.sql),
    -- tonight's from latest_new
    select
        {%- for column in open_dossiers_columns(ref('stg_raw__dossier_records')) %}
        stored_open.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ open_table }} as stored_open
    cross join bounds
    anti join latest_new
        on
            stored_open.unit_code = latest_new.unit_code
            and stored_open.dossier_id = latest_new.dossier_id
    where
        coalesce(cast(stored_open.finished_at as date), date '9999-12-31')
        >= cast(bounds.built_through + interval 1 month as date)
    union all
    select latest_new.*
    from latest_new
    cross join bounds
    where
        coalesce(cast(latest_new.finished_at as date), date '9999-12-31')
        >= cast(bounds.built_through + interval 1 month as date)

),
{%- elif new_months -%}
open_in_new_months as (

    -- a later month than any built: every dossier still open is active in it
    select
        records.unit_code,
        records.dossier_id
    from records
    cross join bounds
    where
        bounds.last_month > bounds.built_through
        and coalesce(cast(records.finished_at as date), date '9999-12-31')
        >= cast(bounds.built_through + interval 1 month as date)

),

latest_in_new_months as (

    select records.*
    from records
    semi join open_in_new_months
        on
            records.unit_code = open_in_new_months.unit_code
            and records.dossier_id = open_in_new_months.dossier_id
    {{ latest_version_only('records') }}

),
{%- endif %}

counted as (

    -- version, sign, and the months it counts in: built months take the change, new
    -- months are counted whole
    select
        latest_new.*,
        1 as sign,
        date '0001-01-01' as count_from,
        bounds.built_through as count_through
    from latest_new
    cross join bounds
    union all
    select
        superseded.*,
        -1 as sign,
        date '0001-01-01' as count_from,
        bounds.built_through as count_through
    from superseded
    cross join bounds
    {% if new_months -%}
    union all
    select
        latest_in_new_months.*,
        1 as sign,
        cast(bounds.built_through + interval 1 month as date) as count_from,
        bounds.last_month as count_through
    from latest_in_new_months
    cross join bounds
    {%- endif %}

),

span as (

    -- the months counted (macros/records_measures.sql)
    {{ months_counted_tonight('received_at', new_months) }}

),

{% else %}

bounds as (

    select
        cast(date_trunc('month', min(received_at)) as date) as first_month,
        cast(date_trunc('month', max(coalesce(finished_at, received_at))) as date) as last_month,
        max(loaded_at) as loaded_through
    from records

),

span as (

    select
        first_month,
        last_month
    from bounds

),

{{ latest_versions('latest', 'records', 'records') }},

counted as (

    select
        latest.*,
        1 as sign,
        bounds.first_month as count_from,
        bounds.last_month as count_through
    from latest
    cross join bounds

),

{% endif %}

months as (

    select
        {{ month_series('first_month', 'last_month') }} as period_start
    from span
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
        counted.*,
        periods.period_start,
        periods.period_end,
        cast(counted.received_at as date) < periods.period_start as is_carried_in,
        -- ended by the month's end (staging leaves finished_at null while a dossier is open)
        coalesce(cast(counted.finished_at as date) <= periods.period_end, false) as is_closed,
        coalesce(cast(counted.finished_at as date) <= periods.period_end, false)
        and coalesce(counted.status, 'resolved') = 'resolved' as is_resolved,
        coalesce(counted.status = 'waiting_supplement', false) as is_waiting_supplement,
        cast(counted.finished_at as date) < cast(counted.due_at as date) as is_early,
        cast(counted.finished_at as date) = cast(counted.due_at as date) as is_on_due_date,
        cast(counted.due_at as date) < periods.period_end as is_past_due_at_end
    from counted
    inner join periods
        on
            periods.period_start between counted.count_from and counted.count_through
            and cast(counted.received_at as date) <= periods.period_end
            and (
                counted.finished_at is null
                or cast(counted.finished_at as date) >= periods.period_start
            )
    where
        coalesce(counted.status, '') <> 'not_received'
        -- finished before it was received (flagged at load, records_finished_before_received):
        -- active in no month, never counted
        and coalesce(cast(counted.finished_at as date) >= cast(counted.received_at as date), true)

),

aggregated as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ signed_count('is_carried_in') }} as carried_in,
        {{ signed_count('not is_carried_in') }} as received,
        {{ signed_count("not is_carried_in and channel = 'truc_tuyen'") }} as received_online,
        {{ signed_count("not is_carried_in and channel = 'buu_chinh'") }} as received_postal,
        {{ signed_count('is_resolved') }} as resolved,
        {{ signed_count('is_resolved and is_early') }} as resolved_early,
        {{ signed_count('is_resolved and (is_early or is_on_due_date)') }} as resolved_on_time,
        {{ signed_count('is_resolved and not is_early and not is_on_due_date') }}
            as resolved_late,
        {{ signed_count('not is_closed and not is_waiting_supplement') }} as pending,
        {{ signed_count('not is_closed and not is_waiting_supplement and not is_past_due_at_end') }}
            as pending_not_due,
        {{ signed_count('not is_closed and not is_waiting_supplement and is_past_due_at_end') }}
            as pending_overdue,
        {{ signed_count("not is_carried_in and online_level = 'toan_trinh'") }}
            as received_fully_online,
        {{ signed_count('not is_carried_in and is_fully_online_eligible') }}
            as received_fully_online_eligible,
        {{ signed_count('not is_carried_in and is_digitised') }} as received_digitised,
        {{ signed_count('is_resolved and has_electronic_result') }}
            as resolved_with_electronic_result,
        {{ signed_count('not is_carried_in and is_fee_required') }} as received_fee_required,
        {{ signed_count('not is_carried_in and is_paid_online') }} as received_paid_online,
        {{ signed_count("is_resolved and citizen_rating = 'dissatisfied'") }}
            as resolved_rated_dissatisfied,
        {{ signed_count("not is_carried_in and channel = 'truc_tiep'") }} as received_in_person,
        {{ signed_count("not is_carried_in and online_level = 'mot_phan'") }}
            as received_partly_online,
        {{ signed_count('not is_closed and is_waiting_supplement') }} as waiting_supplement,
        {{ signed_count("is_closed and status = 'withdrawn'") }} as withdrawn,
        {{ signed_count("is_closed and status = 'stopped'") }} as stopped
    from active
    group by unit_code, authority_level, period_start, period_end

),

{% if add_to_stored %}

{{ months_added_to_stored(
    ['unit_code', 'authority_level', 'period_start', 'period_end'],
    records_monthly_measures()
) }},

{% else %}

monthly as (

    select * from aggregated

),

{% endif %}

final as (

    select
        *,
        (select bounds.loaded_through from bounds) as records_loaded_through
    from monthly

)

select * from final
