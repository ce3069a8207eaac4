with

source as (

    select * from {{ source('raw', 'published_index_results') }}

),

renamed as (

    select
        file_id,
        source_row,
        index_kind,
        year,
        unit_code,
        unit_name,
        value_percent,
        rank,
        rank_out_of,
        group_label,
        source_text,
        as_of_date,
        loaded_at
    from source

)

select * from renamed
