with

source as (

    select * from {{ source('raw', 'staff') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        submitted_unit,
        cast(as_of_date as date) as as_of_date,
        category,
        cast(quota as bigint) as quota,
        cast(actual as bigint) as actual,
        is_total_row,
        loaded_at
    from source

)

select * from renamed
