with

source as (

    select * from {{ source('raw', 'published_index_components') }}

),

renamed as (

    select
        file_id,
        source_row,
        index_kind,
        year,
        unit_code,
        component_order,
        component_name_vi,
        points,
        max_points,
        value_percent,
        loaded_at
    from source

)

select * from renamed
