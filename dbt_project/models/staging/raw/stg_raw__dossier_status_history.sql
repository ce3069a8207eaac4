with

source as (

    select * from {{ source('raw', 'dossier_status_history') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        dossier_id,
        status,
        cast(changed_at as timestamp) as changed_at,
        loaded_at
    from source

)

select * from renamed
