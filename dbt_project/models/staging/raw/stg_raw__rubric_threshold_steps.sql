with

source as (

    select * from {{ source('raw', 'rubric_threshold_steps') }}

),

renamed as (

    select
        file_name,
        rubric_id,
        node_code,
        min_value,
        points_share
    from source

)

select * from renamed
