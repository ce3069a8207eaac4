-- Survey forms and satisfied forms per unit × authority level × period, for the surveyed
-- units and every unit above them as sums of their children.
with

survey_results as (

    select * from {{ ref('int_survey_results_unioned') }}

),

rolled_up as (

    {{ rollup_along_unit_tree('survey_results',
        ['authority_level', 'period_start', 'period_end'], unit_measures('surveys')) | indent(4) }}

)

select * from rolled_up
