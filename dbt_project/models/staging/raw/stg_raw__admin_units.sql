with

source as (

    select * from {{ source('raw', 'admin_units') }}

),

renamed as (

    select
        unit_code,
        gso_code,
        admin_era,
        unit_name,
        short_name,
        unit_type,
        unit_kind,
        province_code,
        parent_code,
        cast(valid_from as date) as valid_from,
        cast(valid_to as date) as valid_to
    from source

)

select * from renamed
