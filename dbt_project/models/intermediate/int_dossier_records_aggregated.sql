-- Record-level dossier exports aggregated to the grain of the submitted form, for every
-- calendar month and every year-to-date period ending at a month end. A dossier finished
-- on or before its due date (compared as dates) is on time; before it, early.
-- For a period [start, end]: carried in = received before start and still open at start;
-- resolved = finished within the period; pending = still open at the end of the period,
-- overdue when its due date is before the period's last day.
with

records as (

    select * from {{ ref('stg_raw__dossier_records') }}

),

latest_records as (

    -- the same dossier exported twice (a corrected export): the latest file wins
    select *
    from records
    qualify row_number() over (
        partition by unit_code, dossier_id order by loaded_at desc, file_id desc
    ) = 1

),

bounds as (

    select
        date_trunc('month', min(received_at)) as first_month,
        date_trunc('month', max(coalesce(finished_at, received_at))) as last_month
    from latest_records

),

months as (

    select
        cast(
            unnest(generate_series(first_month, last_month, interval 1 month)) as date
        ) as month_start
    from bounds
    where first_month is not null

),

periods as (

    select
        month_start as period_start,
        cast(last_day(month_start) as date) as period_end
    from months
    union all
    select
        make_date(year(month_start), 1, 1) as period_start,
        cast(last_day(month_start) as date) as period_end
    from months
    where month(month_start) > 1

),

active as (

    select
        latest_records.*,
        periods.period_start,
        periods.period_end,
        cast(latest_records.received_at as date) < periods.period_start as is_carried_in,
        latest_records.finished_at is not null
        and cast(latest_records.finished_at as date) <= periods.period_end as is_resolved,
        cast(latest_records.finished_at as date) < cast(latest_records.due_at as date)
            as is_early,
        cast(latest_records.finished_at as date) = cast(latest_records.due_at as date)
            as is_on_due_date,
        cast(latest_records.due_at as date) < periods.period_end as is_past_due_at_end
    from latest_records
    inner join periods
        on
            cast(latest_records.received_at as date) <= periods.period_end
            and (
                latest_records.finished_at is null
                or cast(latest_records.finished_at as date) >= periods.period_start
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

final as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        {{ period_label('period_start', 'period_end') }} as period_label,
        'records' as source_kind,
        file_id,
        cast(null as bigint) as source_row,
        carried_in,
        received,
        received_online,
        received_postal,
        resolved,
        resolved_early,
        resolved_on_time,
        resolved_late,
        pending,
        pending_not_due,
        pending_overdue,
        received_fully_online,
        received_fully_online_eligible,
        received_digitised,
        resolved_with_electronic_result,
        received_fee_required,
        received_paid_online,
        resolved_rated_dissatisfied
    from aggregated

)

select * from final
