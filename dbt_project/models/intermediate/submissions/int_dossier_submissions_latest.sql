-- Submitted aggregated dossier statistics, one row per unit × authority level × period.
-- A corrected submission (a later file for the same unit, level and period) replaces
-- the earlier one; rows split by field (lĩnh vực) are summed. Pending is the stated pending
-- where the form states it, else pending not yet due + pending overdue. Waiting for
-- supplements, returned, withdrawn and stopped are their own measures, as stated.
with

dossiers as (

    select * from {{ ref('stg_raw__dossiers') }}

),

data_rows as (

    select *
    from dossiers
    where not is_total_row

),

latest_rows as (

    {{ latest_submission('data_rows',
        ['unit_code', 'authority_level', 'period_start', 'period_end']) | indent(4) }}

),

summed as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        period_label,
        min(file_id) as file_id,
        min(source_row) as source_row,
        cast(sum(carried_in) as bigint) as carried_in,
        cast(sum(received) as bigint) as received,
        cast(sum(received_online) as bigint) as received_online,
        cast(sum(received_postal) as bigint) as received_postal,
        cast(sum(resolved) as bigint) as resolved_submitted,
        cast(sum(resolved_early) as bigint) as resolved_early,
        cast(sum(resolved_on_time_submitted) as bigint) as resolved_on_time_exact,
        cast(sum(resolved_late) as bigint) as resolved_late,
        cast(sum(pending_not_due) as bigint) as pending_not_due,
        cast(sum(pending_overdue) as bigint) as pending_overdue,
        -- per row: the stated pending, else its parts (a form may state it on some rows)
        cast(sum(coalesce(
            pending,
            case
                when pending_not_due is null and pending_overdue is null then null
                else coalesce(pending_not_due, 0) + coalesce(pending_overdue, 0)
            end
        )) as bigint) as pending,
        cast(sum(received_total) as bigint) as received_total,
        cast(sum(received_in_person) as bigint) as received_in_person,
        cast(sum(received_in_person_or_postal) as bigint) as received_in_person_or_postal,
        cast(sum(received_fully_online) as bigint) as received_fully_online,
        cast(sum(received_partly_online) as bigint) as received_partly_online,
        cast(sum(received_out_of_area) as bigint) as received_out_of_area,
        cast(sum(waiting_supplement) as bigint) as waiting_supplement,
        cast(sum(returned) as bigint) as returned,
        cast(sum(withdrawn) as bigint) as withdrawn,
        cast(sum(stopped) as bigint) as stopped
    from latest_rows
    group by unit_code, authority_level, period_start, period_end, period_label

),

final as (

    select
        unit_code,
        authority_level,
        period_start,
        period_end,
        period_label,
        'aggregated' as source_kind,
        file_id,
        source_row,
        carried_in,
        received,
        received_online,
        received_postal,
        coalesce(
            resolved_submitted,
            coalesce(resolved_early, 0) + coalesce(resolved_on_time_exact, 0)
            + coalesce(resolved_late, 0)
        ) as resolved,
        resolved_early,
        case
            when resolved_early is null and resolved_on_time_exact is null then null
            else coalesce(resolved_early, 0) + coalesce(resolved_on_time_exact, 0)
        end as resolved_on_time,
        resolved_late,
        pending,
        pending_not_due,
        pending_overdue,
        received_fully_online,
        cast(null as bigint) as received_fully_online_eligible,
        cast(null as bigint) as received_digitised,
        cast(null as bigint) as resolved_with_electronic_result,
        cast(null as bigint) as received_fee_required,
        cast(null as bigint) as received_paid_online,
        cast(null as bigint) as resolved_rated_dissatisfied,
        received_total,
        received_in_person,
        received_in_person_or_postal,
        received_partly_online,
        received_out_of_area,
        waiting_supplement,
        returned,
        withdrawn,
        stopped
    from summed

)

select * from final
