with

source as (

    select * from {{ source('raw', 'surveys') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        submitted_unit,
        authority_level,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        {{ period_label('cast(period_start as date)', 'cast(period_end as date)') }}
            as period_label,
        cast(forms as bigint) as forms,
        cast(satisfied_forms as bigint) as satisfied_forms,
        is_total_row,
        loaded_at
    from source

)

select * from renamed
