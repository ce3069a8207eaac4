-- sqlfluff:indentation:template_blocks_indent:False
{{ config(**rewrite_by_partition('period_start')) }}
-- The counts the portal's 766 rules need, from the record-level exports, per unit × level ×
-- procedure × calendar month (the latest version of each dossier, when that version can
-- count: one never received, without a receipt date, or finished before it was received
-- counts nowhere, as in int_dossier_records_monthly). Three kinds of count,
-- so that a quarter or a year is derived from its months (int_qd766_unit_periods):
--   processed_start_*: dossiers active at the month's start (received before it, not ended
--     before it): the period's first month's;
--   received_* / ended_* / resolved_*: events within the month: summed;
--   open_*: dossiers still open at the month's end: the period's last month's.
-- Progress (2.1): a dossier is on time when it ended (resolved, withdrawn or stopped) by
-- its deadline, or is still open within it at the month's end. The days spent waiting for
-- supplements (from the request to its completion; to the end, or to the month's end,
-- while still waiting) are added to the deadline; more than one supplement request makes
-- the dossier late; a dossier without a deadline is never late. Compared as dates.
-- Status history (int_qd766_status_history_per_dossier, by unit and dossier id): where the
-- record export leaves a field blank, the history's is used: the supplement count (the
-- history's entries into waiting_supplement, where it has any), the supplement requested
-- and completed dates, and the end (its date and status: the first change to resolved,
-- withdrawn or stopped) of a dossier the export shows without an end. The record's own
-- value always wins where it has one. A dossier received before the 2025 reorganisation
-- keeps its legacy unit in the record export, but a history exported after it (its changes
-- all after 1 July 2025) names the current unit: where the legacy unit has no history of
-- its own for the dossier, the history of a unit that succeeded it is used (the latest
-- file first).
-- Every count is a sum over dossiers, so a night adds to the stored months what its new
-- records change, as int_dossier_records_monthly does: +1 for the latest new version of each
-- dossier, -1 for the version it supersedes, in every built month each is active in; only
-- the versions of the dossiers tonight's records touch are read, and the stored rows of
-- the months touched are rewritten (delete+insert by month; insert_overwrite of the
-- month's partition on Spark). On the night a later month appears, the dossiers still open
-- then are counted in it (on DuckDB those of earlier nights are read from the maintained
-- int_dossier_records_open when it is current: macros/open_dossiers.sql). Everything is
-- counted again when anything else the counts depend on changed since the stored build:
-- records loaded before it withdrawn or replaced, the status histories, the unit
-- successions (macros/qd766_records_state.sql), and for `parwh run --full-refresh`.
{%- set add_to_stored = false -%}
{%- set touched_table = none -%}
{%- set open_table = none -%}
{%- if is_incremental() -%}
    {%- set state = qd766_records_state(
        this,
        ref('stg_raw__dossier_records'),
        ref('int_qd766_status_history_per_dossier'),
        ref('stg_raw__admin_unit_successions'),
    ) -%}
    {%- set add_to_stored = state['add_to_stored'] -%}
    {%- set stored_loaded_through = state['loaded_through'] -%}
    {%- set new_months = state['new_months'] -%}
    {%- if add_to_stored -%}
        {%- set touched_table = qd766_touched_table(
            ref('stg_raw__dossier_records'), stored_loaded_through, new_months,
            state['built_through'],
        ) -%}
    {%- endif -%}
    {%- if add_to_stored and new_months and touched_table is none -%}
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

history as (

    select * from {{ ref('int_qd766_status_history_per_dossier') }}

),

successions as (

    select * from {{ ref('stg_raw__admin_unit_successions') }}

),

{% if add_to_stored %}

built as (

    select * from {{ this }}

),

{% if touched_table -%}
touched as (

    -- every version of the dossiers whose counts may change tonight (Spark: a table
    -- written before the query, macros/qd766_records_state.sql)
    select * from {{ touched_table }}

),
{%- else -%}
tonight_dossiers as (

    select distinct
        unit_code,
        dossier_id
    from records
    where loaded_at > {{ stored_loaded_through }}

),

{% if new_months and open_table is none -%}
open_later as (

    -- a later month than any built: every dossier open after the last built month is
    -- active in it (its versions are all read)
    select distinct
        records.unit_code,
        records.dossier_id
    from records
    where
        coalesce(cast(records.finished_at as date), date '9999-12-31')
        >= (select cast(max(built.period_start) + interval 1 month as date) from built)

),
{%- endif %}

touched as {{ materialized() }} (

    -- every version of the dossiers whose counts may change tonight (a few of the records):
    -- the record table is scanned once for them, not once per read
    select records.*
    from records
    semi join (
        select
            unit_code,
            dossier_id
        from tonight_dossiers
        {% if new_months and open_table is none -%}
        union
        select
            unit_code,
            dossier_id
        from open_later
        {%- endif %}
    ) as keys
        on
            records.unit_code = keys.unit_code
            and records.dossier_id = keys.dossier_id
    {% if open_table is not none -%}
    union all
    -- a later month than any built: every dossier still open after the last built month is
    -- active in it, by its latest version, from the maintained table as the night before
    -- left it (no finish date: macros/open_dossiers.sql). A dossier of tonight's is there
    -- too, by a version it has above: an exact copy, which the latest version of each
    -- dossier leaves out (an anti join with tonight's dossiers hashed the table: 5 s at 100M)
    select
        {%- for column in open_dossiers_columns(ref('stg_raw__dossier_records')) %}
        stored_open.{{ column }}{{ ',' if not loop.last }}
        {%- endfor %}
    from {{ open_table }} as stored_open
    where
        coalesce(cast(stored_open.finished_at as date), date '9999-12-31')
        >= (select cast(max(built.period_start) + interval 1 month as date) from built)
    {%- endif %}

),
{%- endif %}

{% else %}

touched as {{ not_materialized() }} (

    select * from records

),

{% endif %}

history_of_successor_ranked as (

    select
        touched.unit_code,
        touched.dossier_id,
        successor_history.supplement_requests,
        successor_history.supplement_requested_at,
        successor_history.supplement_completed_at,
        successor_history.ended_at,
        successor_history.end_status,
        row_number() over (
            partition by touched.unit_code, touched.dossier_id
            order by
                successor_history.loaded_at desc,
                successor_history.file_id desc,
                successor_history.unit_code asc
        ) as match_rank
    from touched
    inner join successions
        on touched.unit_code = successions.legacy_unit_code
    inner join history as successor_history
        on
            successions.current_unit_code = successor_history.unit_code
            and touched.dossier_id = successor_history.dossier_id
    left join history as own_history
        on
            touched.unit_code = own_history.unit_code
            and touched.dossier_id = own_history.dossier_id
    where own_history.dossier_id is null

),

history_matched as (

    select
        unit_code,
        dossier_id,
        supplement_requests,
        supplement_requested_at,
        supplement_completed_at,
        ended_at,
        end_status
    from history
    union all
    select
        unit_code,
        dossier_id,
        supplement_requests,
        supplement_requested_at,
        supplement_completed_at,
        ended_at,
        end_status
    from history_of_successor_ranked
    where match_rank = 1

),

versions as {{ materialized() if add_to_stored else not_materialized() }} (

    -- every version read, and whether it can count (a dossier's latest version counts
    -- when it can, as in int_dossier_records_monthly); on a night that
    -- adds to the stored months, computed once (latest_new, superseded and the new months
    -- read it): the status histories are matched once, for the touched dossiers only
    select
        touched.unit_code,
        touched.dossier_id,
        touched.loaded_at,
        touched.file_id,
        touched.authority_level,
        coalesce(touched.procedure_code, '') as procedure_code,
        touched.channel,
        -- the export's status, else (no end in the export) the status the history ended with
        case
            when touched.finished_at is null and history.ended_at is not null
                then history.end_status
            else touched.status
        end as status,
        cast(touched.received_at as date) as received_on,
        cast(touched.due_at as date) as due_on,
        cast(coalesce(touched.finished_at, history.ended_at) as date) as ended_on,
        cast(
            coalesce(touched.supplement_requested_at, history.supplement_requested_at) as date
        ) as supplement_requested_on,
        cast(
            coalesce(touched.supplement_completed_at, history.supplement_completed_at) as date
        ) as supplement_completed_on,
        -- the requests made: the stated count, else the history's entries into waiting for
        -- supplements, else one where a request is dated
        coalesce(
            touched.supplement_count,
            nullif(history.supplement_requests, 0),
            case
                when
                    coalesce(touched.supplement_requested_at, history.supplement_requested_at)
                    is not null
                    then 1
                else 0
            end
        ) as supplement_requests,
        coalesce(touched.is_synced, false) as is_synced,
        coalesce(touched.is_channel_blank, false) as is_channel_blank,
        coalesce(touched.has_electronic_result, false) as has_electronic_result,
        coalesce(touched.is_digitised, false) as is_digitised,
        coalesce(touched.is_data_reused, false) as is_data_reused,
        coalesce(touched.is_paid_online, false) as is_paid_online,
        -- a fee-bearing dossier: its procedure has a fee, unless every fee it owed is zero
        coalesce(touched.fee_amount > 0, touched.is_fee_required, false) as is_fee_bearing,
        coalesce(touched.has_complaint, false)
        or coalesce(touched.citizen_rating = 'dissatisfied', false)
            as is_complained_or_disliked,
        -- a dossier counts by its latest version, only when that version can count: never
        -- received, no receipt date, or finished before it was received (a load finding)
        -- counts nowhere
        coalesce(touched.status, '') <> 'not_received'
        and touched.received_at is not null
        and coalesce(
            cast(coalesce(touched.finished_at, history.ended_at) as date)
            >= cast(touched.received_at as date),
            true
        ) as is_countable
    from touched
    left join history_matched as history
        on
            touched.unit_code = history.unit_code
            and touched.dossier_id = history.dossier_id

),

{% if add_to_stored %}

previous_build as (

    select coalesce(max(period_start), date '1900-01-01') as last_month
    from built

),

latest_new as (

    -- tonight's versions; a dossier in two of tonight's files: the latest file wins
    select *
    from versions
    where loaded_at > {{ stored_loaded_through }}
    {{ latest_version_only() }}

),

superseded as (

    -- the version each re-exported dossier was counted with until tonight
    select versions.*
    from versions
    semi join latest_new
        on
            versions.unit_code = latest_new.unit_code
            and versions.dossier_id = latest_new.dossier_id
    where versions.loaded_at <= {{ stored_loaded_through }}
    {{ latest_version_only('versions') }}

),

bounds as (

    select
        previous_build.last_month as built_through,
        greatest(
            previous_build.last_month,
            coalesce(
                cast(date_trunc('month', max(
                    case
                        when latest_new.is_countable
                            then coalesce(latest_new.ended_on, latest_new.received_on)
                    end
                )) as date),
                previous_build.last_month
            )
        ) as last_month
    from previous_build
    left join latest_new on true
    group by previous_build.last_month

),

{% if new_months -%}
{#- the latest version of each dossier read (macros/latest_versions.sql: a window only for
    the dossiers exported more than once; a window over every version of the dossiers
    still open sorted millions of rows with all their columns) #}
{{ latest_versions('latest_in_new_months', 'versions', 'versions') }},

{% endif -%}
counted as (

    -- version, sign, and the months it counts in: built months take the change, new months
    -- are counted whole
    select
        latest_new.*,
        1 as sign,
        date '0001-01-01' as count_from,
        bounds.built_through as count_through
    from latest_new
    cross join bounds
    where latest_new.is_countable
    union all
    select
        superseded.*,
        -1 as sign,
        date '0001-01-01' as count_from,
        bounds.built_through as count_through
    from superseded
    cross join bounds
    where superseded.is_countable
    {% if new_months -%}
    union all
    select
        latest.*,
        1 as sign,
        cast(bounds.built_through + interval 1 month as date) as count_from,
        bounds.last_month as count_through
    from latest_in_new_months as latest
    cross join bounds
    where latest.is_countable
    {%- endif %}

),

span as (

    -- the months counted (macros/records_measures.sql)
    {{ months_counted_tonight('received_on', new_months) }}

),

{% else %}

{{ latest_versions('latest', 'versions', 'records') }},

bounds as (

    select
        cast(date_trunc('month', min(received_on)) as date) as first_month,
        cast(date_trunc('month', max(coalesce(ended_on, received_on))) as date) as last_month
    from latest
    where is_countable

),

counted as (

    select
        latest.*,
        1 as sign,
        bounds.first_month as count_from,
        bounds.last_month as count_through
    from latest
    cross join bounds
    where latest.is_countable

),

span as (

    select
        first_month,
        last_month
    from bounds

),

{% endif %}

months as (

    select {{ month_series('first_month', 'last_month') }} as period_start
    from span
    where first_month is not null

),

active as (

    select
        counted.*,
        months.period_start,
        cast(last_day(months.period_start) as date) as period_end,
        counted.received_on < months.period_start as is_carried_in,
        coalesce(counted.ended_on <= cast(last_day(months.period_start) as date), false)
            as is_ended
    from counted
    inner join months
        on
            months.period_start between counted.count_from and counted.count_through
            and counted.received_on <= cast(last_day(months.period_start) as date)
            and (counted.ended_on is null or counted.ended_on >= months.period_start)

),

judged as (

    select
        *,
        -- the day the clock is read: the end, else the month's end
        case when is_ended then ended_on else period_end end as judged_on,
        case
            when supplement_requested_on is null then 0
            else greatest(
                {{ days_between(
                    'supplement_requested_on',
                    'coalesce(supplement_completed_on, case when is_ended then ended_on '
                    ~ 'else period_end end)'
                ) }},
                0
            )
        end as supplement_wait_days
    from active

),

classified as (

    select
        *,
        supplement_requests <= 1
        and (
            due_on is null
            or {{ days_between('due_on', 'judged_on') }} <= supplement_wait_days
        ) as is_on_time
    from judged

),

aggregated as (

    select
        unit_code,
        authority_level,
        procedure_code,
        period_start,
        period_end,
        {{ signed_count('is_carried_in') }} as processed_start,
        {{ signed_count('is_carried_in and is_complained_or_disliked') }}
            as processed_start_complained,
        {{ signed_count('is_carried_in and supplement_requests > 1') }}
            as processed_start_multiple_supplements,
        {{ signed_count('not is_carried_in') }} as received,
        {{ signed_count('not is_carried_in and is_complained_or_disliked') }}
            as received_complained,
        {{ signed_count('not is_carried_in and supplement_requests > 1') }}
            as received_multiple_supplements,
        {{ signed_count("not is_carried_in and channel = 'truc_tuyen'") }} as received_online,
        {{ signed_count(
            "not is_carried_in and channel = 'truc_tuyen' and has_electronic_result"
        ) }} as received_online_with_electronic_result,
        {{ signed_count('not is_carried_in and is_channel_blank') }} as received_channel_blank,
        {{ signed_count('not is_carried_in and is_synced') }} as received_synced,
        {{ signed_count('not is_carried_in and is_fee_bearing') }} as received_fee_bearing,
        {{ signed_count('not is_carried_in and is_fee_bearing and is_paid_online') }}
            as received_fee_bearing_paid_online,
        {{ signed_count('not is_carried_in and is_digitised') }} as received_digitised,
        {{ signed_count('not is_carried_in and is_data_reused') }} as received_data_reused,
        {{ signed_count('is_ended') }} as ended,
        {{ signed_count('is_ended and is_on_time') }} as ended_on_time,
        {{ signed_count("is_ended and coalesce(status, 'resolved') = 'resolved'") }} as resolved,
        {{ signed_count(
            "is_ended and coalesce(status, 'resolved') = 'resolved' and has_electronic_result"
        ) }} as resolved_with_electronic_result,
        {{ signed_count('not is_ended') }} as open_at_end,
        {{ signed_count('not is_ended and is_on_time') }} as open_within_deadline
    from classified
    group by unit_code, authority_level, procedure_code, period_start, period_end

),

{% if add_to_stored %}

{{ months_added_to_stored(
    ['unit_code', 'authority_level', 'procedure_code', 'period_start', 'period_end'],
    qd766_measures_counted()
) }},

{% else %}

monthly as (

    select * from aggregated

),

{% endif %}

build_state as (

    -- what the next night compares with (macros/qd766_records_state.sql)
    select
        (select max(records.loaded_at) from records) as records_loaded_through,
        (select count(*) from records) as records_counted,
        (select {{ qd766_history_fingerprint('h') }} from history as h) as history_fingerprint,
        (select {{ qd766_successions_fingerprint('s') }} from successions as s)
            as successions_fingerprint

),

final as (

    -- a unit-month whose dossiers all moved away has no row, as in a full build
    select
        monthly.*,
        build_state.records_loaded_through,
        build_state.records_counted,
        build_state.history_fingerprint,
        build_state.successions_fingerprint
    from monthly
    cross join build_state
    where monthly.processed_start + monthly.received > 0

)

select * from final
