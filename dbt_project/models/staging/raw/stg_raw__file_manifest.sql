with

source as (

    select * from {{ source('raw', 'file_manifest') }}

),

renamed as (

    select
        file_id,
        file_name,
        size_bytes,
        source_family,
        sheet_name,
        row_count,
        unit_codes,
        status as file_status,
        message,
        message_vi,
        error_sheet,
        error_row,
        error_column,
        run_id,
        loaded_at
    from source

)

select * from renamed
