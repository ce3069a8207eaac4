-- Survey forms and satisfied forms of a unit for a period: own rows by authority level,
-- and its communes summed unless the unit states a commune level row of its own.
-- sqlfluff:templater:placeholder:period_label:'2018'
-- sqlfluff:templater:placeholder:unit_code:'L568'
with own as (
    select
        'own' as scope,
        authority_level,
        sum(forms) as forms,
        sum(satisfied_forms) as satisfied
    from marts.fct_survey_satisfaction
    where unit_code = $unit_code and period_label = $period_label
    group by authority_level
),

communes as (
    select
        'communes' as scope,
        'xa' as authority_level,
        sum(s.forms) as forms,
        sum(s.satisfied_forms) as satisfied
    from marts.fct_survey_satisfaction as s
    inner join marts.dim_admin_units as u on s.unit_code = u.unit_code
    where
        u.parent_code = $unit_code
        and s.period_label = $period_label
        and not exists (
            select 1 from own
            where own.authority_level = 'xa'
        )
    having count(*) > 0
)

select * from own
union all
select * from communes
order by scope desc, authority_level asc
