-- The self-scores of each unit's PAR INDEX for a year: the rows of the latest file of the
-- unit and year that states self-scores (a self-assessment table); a later appraisal file
-- that only states appraised scores does not replace them.
with

self_assessment_rows as (

    select * from {{ ref('stg_raw__self_assessment_rows') }}

),

self_scoring_files as (

    select distinct file_id
    from self_assessment_rows
    where self_score is not null or self_score_pending

),

self_scored_rows as (

    select self_assessment_rows.*
    from self_assessment_rows
    inner join self_scoring_files
        on self_assessment_rows.file_id = self_scoring_files.file_id

),

latest_rows as (

    {{ latest_submission('self_scored_rows', ['unit_code', 'assessment_year']) | indent(4) }}

)

select * from latest_rows
