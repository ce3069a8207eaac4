-- The appraised scores (thẩm định) of each unit's PAR INDEX for a year: the rows of the
-- latest file of the unit and year that states appraised scores (a self-assessment table
-- with its "Thẩm định" column filled, or the Province's appraisal result in the same
-- shape). A later appraisal replaces an earlier one; the raw table keeps every version.
with

self_assessment_rows as (

    select * from {{ ref('stg_raw__self_assessment_rows') }}

),

appraising_files as (

    select distinct file_id
    from self_assessment_rows
    where appraised_score is not null

),

appraised_rows as (

    select self_assessment_rows.*
    from self_assessment_rows
    inner join appraising_files
        on self_assessment_rows.file_id = appraising_files.file_id

),

latest_rows as (

    {{ latest_submission('appraised_rows', ['unit_code', 'assessment_year']) | indent(4) }}

)

select * from latest_rows
