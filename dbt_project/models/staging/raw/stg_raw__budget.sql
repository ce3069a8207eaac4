with

source as (

    select * from {{ source('raw', 'budget') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        submitted_unit,
        cast(fiscal_year as integer) as fiscal_year,
        cast(as_of_date as date) as as_of_date,
        coalesce(programme, '') as programme,
        cast(plan_mvnd as decimal(18, 3)) as plan_mvnd,
        cast(disbursed_mvnd as decimal(18, 3)) as disbursed_mvnd,
        is_total_row,
        loaded_at
    from source

)

select * from renamed
