with

source as (

    select * from {{ source('raw', 'dossier_records') }}

),

renamed as (

    select
        file_id,
        dossier_id,
        unit_code,
        authority_level,
        procedure_code,
        field as field_name,
        channel,
        cast(received_at as timestamp) as received_at,
        cast(due_at as timestamp) as due_at,
        -- when the dossier was closed (resolved, withdrawn, stopped): null while it is open.
        -- A dossier whose status says it is still in process or waiting for supplements is
        -- open whatever date the export has; one never received is never counted.
        case
            when status in ('in_process', 'waiting_supplement', 'not_received')
                then cast(null as timestamp)
            else cast(finished_at as timestamp)
        end as finished_at,
        status,
        online_level,
        is_fully_online_eligible,
        is_digitised,
        has_electronic_result,
        is_fee_required,
        is_paid_online,
        citizen_rating,
        is_channel_blank,
        supplement_count,
        cast(supplement_requested_at as timestamp) as supplement_requested_at,
        cast(supplement_completed_at as timestamp) as supplement_completed_at,
        is_synced,
        fee_amount,
        has_complaint,
        is_data_reused,
        loaded_at
    from source

)

select * from renamed
