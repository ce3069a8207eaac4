with

source as (

    select * from {{ source('raw', 'procedure_catalogue') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        as_of_date,
        procedure_code,
        procedure_name,
        authority_level,
        field,
        online_level,
        has_fee,
        fee_amount,
        returns_paper_result,
        publication_decision,
        published_on,
        legal_basis_effective_on,
        updated_on,
        is_published_complete,
        loaded_at
    from source

)

select * from renamed
