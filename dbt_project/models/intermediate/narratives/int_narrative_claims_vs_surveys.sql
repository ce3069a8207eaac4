-- The narrative claims compared with the survey results (int_survey_results_unioned) of the
-- same unit, authority level and period: one row per claim (compared_with =
-- 'survey_satisfaction') the warehouse holds a figure for: forms, satisfied forms, the
-- satisfaction rate.
with

claims as (

    select * from {{ ref('int_narrative_claims_latest') }}
    where compared_with = 'survey_satisfaction'

),

survey_results as (

    select * from {{ ref('int_survey_results_unioned') }}

),

compared as (

    select
        claims.file_id,
        claims.claim_no,
        survey_results.file_id as warehouse_file_id,
        survey_results.source_row as warehouse_source_row,
        'submitted' as warehouse_figure_source,
        cast(case claims.measure
            when 'survey_forms' then survey_results.forms
            when 'survey_satisfied' then survey_results.satisfied_forms
            when 'satisfaction_rate'
                then {{ safe_rate('survey_results.satisfied_forms', 'survey_results.forms') }}
        end as decimal(24, 8)) as warehouse_value_as_published,
        cast(null as decimal(24, 8)) as warehouse_value_with_carried_in
    from claims
    inner join survey_results
        on
            claims.claim_unit_code = survey_results.unit_code
            and claims.authority_level = survey_results.authority_level
            and claims.period_start = survey_results.period_start
            and claims.period_end = survey_results.period_end

)

select * from compared
