with

source as (

    select * from {{ source('raw', 'rubric_bands') }}

),

renamed as (

    select
        file_name,
        rubric_id,
        band_vi,
        min_score
    from source

)

select * from renamed
