-- The periods the marts hold figures of a unit or its communes for (dossiers, surveys,
-- disbursement, the PAR self-assessment's years), most recent first: of the unit
-- $unit_code, or of every unit when $unit_code is null.
-- sqlfluff:templater:placeholder:unit_code:'L568'
with units as (
    -- each unit's own figures and its communes' (a unit is its children's parent)
    select
        unit_code,
        unit_code as data_unit_code
    from marts.dim_admin_units
    union all
    select
        parent_code as unit_code,
        unit_code as data_unit_code
    from marts.dim_admin_units
    where parent_code is not null
),

labels as (
    select
        u.unit_code,
        d.period_label
    from marts.fct_dossier_stats as d
    inner join units as u on d.unit_code = u.data_unit_code
    union
    select
        u.unit_code,
        s.period_label
    from marts.fct_survey_satisfaction as s
    inner join units as u on s.unit_code = u.data_unit_code
    union
    select
        b.unit_code,
        b.period_label
    from marts.fct_budget_disbursement as b
    union
    select
        a.unit_code,
        cast(a.assessment_year as varchar) as period_label
    from marts.fct_index_areas as a
)

select
    unit_code,
    period_label
from labels
where cast($unit_code as varchar) is null or unit_code = $unit_code
order by unit_code asc, period_label desc
