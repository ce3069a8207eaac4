-- The counts the portal's 766 rules need, from the record-level exports, per unit × level ×
-- procedure × calendar month (the latest version of each dossier). Three kinds of count,
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
-- Rebuilt whole every night (a table): its cost is one more scan of the records.
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

history_of_successor_ranked as (

    select
        records.unit_code,
        records.dossier_id,
        successor_history.supplement_requests,
        successor_history.supplement_requested_at,
        successor_history.supplement_completed_at,
        successor_history.ended_at,
        successor_history.end_status,
        row_number() over (
            partition by records.unit_code, records.dossier_id
            order by
                successor_history.loaded_at desc,
                successor_history.file_id desc,
                successor_history.unit_code asc
        ) as match_rank
    from records
    inner join successions
        on records.unit_code = successions.legacy_unit_code
    inner join history as successor_history
        on
            successions.current_unit_code = successor_history.unit_code
            and records.dossier_id = successor_history.dossier_id
    left join history as own_history
        on
            records.unit_code = own_history.unit_code
            and records.dossier_id = own_history.dossier_id
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

latest as (

    select
        records.unit_code,
        records.authority_level,
        coalesce(records.procedure_code, '') as procedure_code,
        records.channel,
        -- the export's status, else (no end in the export) the status the history ended with
        case
            when records.finished_at is null and history.ended_at is not null
                then history.end_status
            else records.status
        end as status,
        cast(records.received_at as date) as received_on,
        cast(records.due_at as date) as due_on,
        cast(coalesce(records.finished_at, history.ended_at) as date) as ended_on,
        cast(
            coalesce(records.supplement_requested_at, history.supplement_requested_at) as date
        ) as supplement_requested_on,
        cast(
            coalesce(records.supplement_completed_at, history.supplement_completed_at) as date
        ) as supplement_completed_on,
        -- the requests made: the stated count, else the history's entries into waiting for
        -- supplements, else one where a request is dated
        coalesce(
            records.supplement_count,
            nullif(history.supplement_requests, 0),
            case
                when
                    coalesce(records.supplement_requested_at, history.supplement_requested_at)
                    is not null
                    then 1
                else 0
            end
        ) as supplement_requests,
        coalesce(records.is_synced, false) as is_synced,
        coalesce(records.is_channel_blank, false) as is_channel_blank,
        coalesce(records.has_electronic_result, false) as has_electronic_result,
        coalesce(records.is_digitised, false) as is_digitised,
        coalesce(records.is_data_reused, false) as is_data_reused,
        coalesce(records.is_paid_online, false) as is_paid_online,
        -- a fee-bearing dossier: its procedure has a fee, unless every fee it owed is zero
        coalesce(records.fee_amount > 0, records.is_fee_required, false) as is_fee_bearing,
        coalesce(records.has_complaint, false)
        or coalesce(records.citizen_rating = 'dissatisfied', false)
            as is_complained_or_disliked
    from records
    left join history_matched as history
        on
            records.unit_code = history.unit_code
            and records.dossier_id = history.dossier_id
    where
        coalesce(records.status, '') <> 'not_received'
        and records.received_at is not null
        -- finished before it was received (a load finding): never counted
        and coalesce(
            cast(coalesce(records.finished_at, history.ended_at) as date)
            >= cast(records.received_at as date),
            true
        )
    {{ latest_version_only('records') }}

),

span as (

    select
        cast(date_trunc('month', min(received_on)) as date) as first_month,
        cast(date_trunc('month', max(coalesce(ended_on, received_on))) as date) as last_month
    from latest

),

months as (

    select {{ month_series('first_month', 'last_month') }} as period_start
    from span
    where first_month is not null

),

active as (

    select
        latest.*,
        months.period_start,
        cast(last_day(months.period_start) as date) as period_end,
        latest.received_on < months.period_start as is_carried_in,
        coalesce(latest.ended_on <= cast(last_day(months.period_start) as date), false)
            as is_ended
    from latest
    inner join months
        on
            latest.received_on <= cast(last_day(months.period_start) as date)
            and (latest.ended_on is null or latest.ended_on >= months.period_start)

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

final as (

    select
        unit_code,
        authority_level,
        procedure_code,
        period_start,
        period_end,
        count(*) filter (where is_carried_in) as processed_start,
        count(*) filter (where is_carried_in and is_complained_or_disliked)
            as processed_start_complained,
        count(*) filter (where is_carried_in and supplement_requests > 1)
            as processed_start_multiple_supplements,
        count(*) filter (where not is_carried_in) as received,
        count(*) filter (where not is_carried_in and is_complained_or_disliked)
            as received_complained,
        count(*) filter (where not is_carried_in and supplement_requests > 1)
            as received_multiple_supplements,
        count(*) filter (where not is_carried_in and channel = 'truc_tuyen') as received_online,
        count(*) filter (
            where not is_carried_in and channel = 'truc_tuyen' and has_electronic_result
        ) as received_online_with_electronic_result,
        count(*) filter (where not is_carried_in and is_channel_blank) as received_channel_blank,
        count(*) filter (where not is_carried_in and is_synced) as received_synced,
        count(*) filter (where not is_carried_in and is_fee_bearing) as received_fee_bearing,
        count(*) filter (where not is_carried_in and is_fee_bearing and is_paid_online)
            as received_fee_bearing_paid_online,
        count(*) filter (where not is_carried_in and is_digitised) as received_digitised,
        count(*) filter (where not is_carried_in and is_data_reused) as received_data_reused,
        count(*) filter (where is_ended) as ended,
        count(*) filter (where is_ended and is_on_time) as ended_on_time,
        count(*) filter (where is_ended and coalesce(status, 'resolved') = 'resolved')
            as resolved,
        count(*) filter (
            where is_ended and coalesce(status, 'resolved') = 'resolved' and has_electronic_result
        ) as resolved_with_electronic_result,
        count(*) filter (where not is_ended) as open_at_end,
        count(*) filter (where not is_ended and is_on_time) as open_within_deadline
    from classified
    group by unit_code, authority_level, procedure_code, period_start, period_end

)

select * from final
