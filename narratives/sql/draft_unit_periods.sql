-- The periods the marts hold figures of a unit or its communes for (dossiers, surveys,
-- disbursement, the PAR self-assessment's years), most recent first.
-- sqlfluff:templater:placeholder:unit_code:'L568'
with units as (
    select unit_code from marts.dim_admin_units
    where unit_code = $unit_code or parent_code = $unit_code
),

labels as (
    select d.period_label from marts.fct_dossier_stats as d
    where d.unit_code in (select u.unit_code from units as u)
    union
    select s.period_label from marts.fct_survey_satisfaction as s
    where s.unit_code in (select u.unit_code from units as u)
    union
    select b.period_label from marts.fct_budget_disbursement as b
    where b.unit_code = $unit_code
    union
    select cast(a.assessment_year as varchar) as period_label
    from marts.fct_index_areas as a
    where a.unit_code = $unit_code
)

select period_label from labels
order by period_label desc
