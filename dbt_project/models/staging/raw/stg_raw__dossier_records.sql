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
        cast(finished_at as timestamp) as finished_at,
        online_level,
        is_fully_online_eligible,
        is_digitised,
        has_electronic_result,
        is_fee_required,
        is_paid_online,
        citizen_rating,
        loaded_at
    from source

)

select * from renamed
