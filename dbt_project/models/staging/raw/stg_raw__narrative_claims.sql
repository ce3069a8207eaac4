with

source as (

    select * from {{ source('raw', 'narrative_claims') }}

),

renamed as (

    select
        file_id,
        claim_no,
        measure,
        measure_label_vi,
        value,
        value_text,
        value_decimals,
        paragraph,
        char_start,
        char_end,
        quote,
        unit_name as claim_unit_name,
        level as claim_level,
        category,
        max_value,
        period_kind as claim_period_kind,
        period_year as claim_period_year,
        period_end as claim_period_end,
        status as extract_status,
        reason as extract_reason,
        unit_code as claim_unit_code,
        report_unit_name,
        report_unit_code,
        report_level,
        report_date,
        report_period_kind,
        report_period_year,
        report_period_end,
        loaded_at
    from source

)

select * from renamed
