-- One-stop results of a unit for a period: its own rows by authority level ('own'), and
-- its communes summed as the commune level ('communes') unless the unit states a commune
-- level row of its own.
-- sqlfluff:templater:placeholder:period_label:'2018'
-- sqlfluff:templater:placeholder:unit_code:'L568'
with own as (
    select
        'own' as scope,
        authority_level,
        count(*) as units,
        sum(received) as received,
        sum(resolved) as resolved,
        sum(resolved_on_time) as in_time,
        sum(resolved_late) as late
    from marts.fct_dossier_stats
    where unit_code = $unit_code and period_label = $period_label
    group by authority_level
),

communes as (
    select
        'communes' as scope,
        'xa' as authority_level,
        count(*) as units,
        sum(f.received) as received,
        sum(f.resolved) as resolved,
        sum(f.resolved_on_time) as in_time,
        sum(f.resolved_late) as late
    from marts.fct_dossier_stats as f
    inner join marts.dim_admin_units as u on f.unit_code = u.unit_code
    where
        u.parent_code = $unit_code
        and f.period_label = $period_label
        and f.authority_level = 'xa'
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
