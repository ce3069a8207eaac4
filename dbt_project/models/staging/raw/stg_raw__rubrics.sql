with

source as (

    select * from {{ source('raw', 'rubrics') }}

),

renamed as (

    select
        file_name,
        origin,
        file_sha256,
        loaded_at,
        rubric_id,
        name_vi,
        province_code,
        unit_kind,
        year_from,
        year_to,
        score_decimals,
        basis,
        notes
    from source

)

select * from renamed
