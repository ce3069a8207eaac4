with

source as (

    select * from {{ source('raw', 'self_assessment_rows') }}

),

renamed as (

    select
        file_id,
        source_row,
        unit_code,
        assessment_year,
        node_code,
        parent_code,
        node_level,
        ordinal,
        name_vi,
        max_points,
        self_score,
        self_score_pending,
        appraised_score,
        evidence,
        explanation,
        appraisal_reason,
        loaded_at
    from source

)

select * from renamed
