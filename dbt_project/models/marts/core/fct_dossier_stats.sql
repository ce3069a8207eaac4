-- One-stop-shop dossier statistics per unit × authority level × period, as submitted
-- (or aggregated from record-level exports), with the report rates. Dossiers waiting for
-- supplements, withdrawn and stopped are their own measures, neither resolved nor pending.
with

stats as (

    select * from {{ ref('int_dossier_stats_unioned') }}

),

file_names as (

    select * from {{ ref('int_source_files') }}

),

final as (

    select
        stats.unit_code,
        stats.authority_level,
        stats.period_label,
        stats.period_start,
        stats.period_end,
        {{ period_kind('stats.period_start', 'stats.period_end') }} as period_kind,
        stats.source_kind,
        stats.carried_in,
        stats.received,
        stats.received_online,
        stats.received_postal,
        stats.resolved,
        stats.resolved_early,
        stats.resolved_on_time,
        stats.resolved_late,
        stats.pending,
        stats.pending_not_due,
        stats.pending_overdue,
        stats.received_fully_online,
        stats.received_fully_online_eligible,
        stats.received_digitised,
        stats.resolved_with_electronic_result,
        stats.received_fee_required,
        stats.received_paid_online,
        stats.resolved_rated_dissatisfied,
        stats.received_total,
        stats.received_in_person,
        stats.received_in_person_or_postal,
        stats.received_partly_online,
        stats.received_out_of_area,
        stats.waiting_supplement,
        stats.returned,
        stats.withdrawn,
        stats.stopped,
        {{ safe_rate('stats.resolved_on_time', 'stats.resolved') }} as on_time_rate,
        {{ safe_rate('stats.resolved_late', 'stats.resolved') }} as late_rate,
        {{ safe_rate('stats.resolved', 'stats.received') }} as resolution_rate,
        -- carried in + received = resolved + pending + waiting for supplements + withdrawn
        -- + stopped; a measure the source does not state counts as 0
        coalesce(stats.carried_in, 0) + stats.received - stats.resolved - stats.pending
        - coalesce(stats.waiting_supplement, 0) - coalesce(stats.withdrawn, 0)
        - coalesce(stats.stopped, 0) as balance_difference,
        stats.resolved - stats.resolved_on_time - stats.resolved_late
            as resolved_parts_difference,
        stats.pending - stats.pending_not_due - stats.pending_overdue
            as pending_parts_difference,
        file_names.file_name as source_file,
        stats.source_row
    from stats
    left join file_names
        on stats.file_id = file_names.file_id

)

select * from final
