-- The rows of each unit's self-assessment table for a year: a later file for the same unit
-- and year replaces the earlier one (the raw table keeps every version).
with

self_assessment_rows as (

    select * from {{ ref('stg_raw__self_assessment_rows') }}

),

latest_rows as (

    {{ latest_submission('self_assessment_rows', ['unit_code', 'assessment_year']) | indent(4) }}

)

select * from latest_rows
