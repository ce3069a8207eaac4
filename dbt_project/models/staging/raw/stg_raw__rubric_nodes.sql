with

source as (

    select * from {{ source('raw', 'rubric_nodes') }}

),

renamed as (

    select
        file_name,
        rubric_id,
        node_code,
        parent_code,
        node_level,
        ordinal,
        name_vi,
        max_points,
        method,
        indicator_code,
        authority_level,
        rule,
        full_points_at,
        rounding,
        not_applicable_when,
        notes,
        source_row
    from source

)

select * from renamed
