with

source as (

    select * from {{ source('raw', 'admin_unit_successions') }}

),

renamed as (

    select
        legacy_unit_code,
        current_unit_code,
        is_split,
        is_default
    from source

)

select * from renamed
