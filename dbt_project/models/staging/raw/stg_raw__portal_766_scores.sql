with

source as (

    select * from {{ source('raw', 'portal_766_scores') }}

),

renamed as (

    select
        file_id,
        source_row,
        sheet_name,
        unit_code,
        unit_name,
        period_kind,
        period_start,
        period_end,
        portal_rank,
        publicity,
        progress,
        online_service,
        online_payment,
        satisfaction,
        digitisation,
        total,
        band_label,
        source_layout,
        api_version,
        loaded_at
    from source

)

select * from renamed
