with

source as (

    select * from {{ source('raw', 'dossiers') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        submitted_unit,
        authority_level,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        {{ period_label('cast(period_start as date)', 'cast(period_end as date)') }}
            as period_label,
        coalesce(field, '') as field_name,
        cast(carried_in as bigint) as carried_in,
        cast(received as bigint) as received,
        cast(received_online as bigint) as received_online,
        cast(received_postal as bigint) as received_postal,
        cast(resolved as bigint) as resolved,
        cast(resolved_early as bigint) as resolved_early,
        cast(resolved_on_time as bigint) as resolved_on_time_submitted,
        cast(resolved_late as bigint) as resolved_late,
        cast(pending_not_due as bigint) as pending_not_due,
        cast(pending_overdue as bigint) as pending_overdue,
        cast(received_total as bigint) as received_total,
        cast(received_in_person as bigint) as received_in_person,
        cast(received_in_person_or_postal as bigint) as received_in_person_or_postal,
        cast(received_fully_online as bigint) as received_fully_online,
        cast(received_partly_online as bigint) as received_partly_online,
        cast(received_out_of_area as bigint) as received_out_of_area,
        cast(pending as bigint) as pending,
        cast(waiting_supplement as bigint) as waiting_supplement,
        cast(returned as bigint) as returned,
        cast(withdrawn as bigint) as withdrawn,
        cast(stopped as bigint) as stopped,
        is_total_row,
        loaded_at
    from source

)

select * from renamed
