with

source as (

    select * from {{ source('raw', 'survey_responses') }}

),

renamed as (

    select
        file_id,
        source_row,
        response_id,
        unit_code,
        authority_level,
        cast(survey_date as date) as survey_date,
        question_code,
        cast(answer as integer) as answer,
        is_overall,
        loaded_at
    from source

)

select * from renamed
