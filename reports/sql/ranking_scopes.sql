-- The rankings of $rubric in $period (ranking_scope, scope_code, unit_kind) with the scope's
-- name and the number of units: the province $province_code's (null: every province's) and
-- the nation's; provinces first, nation last.
-- sqlfluff:templater:placeholder:rubric:'par_basic'
-- sqlfluff:templater:placeholder:period:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
select
    ranking_scope,
    scope_code,
    unit_kind,
    scope_name,
    units
from (
    select
        r.ranking_scope,
        r.scope_code,
        r.unit_kind,
        coalesce(any_value(u.unit_name), 'Toàn quốc') as scope_name,
        count(*) as units
    from marts.rankings as r
    left join marts.dim_admin_units as u on r.scope_code = u.unit_code
    where
        r.rubric_id = $rubric
        and r.period_label = $period
        and ($province_code is null or r.scope_code = $province_code or r.ranking_scope = 'nation')
    group by r.ranking_scope, r.scope_code, r.unit_kind
) as scopes
order by
    ranking_scope = 'nation',
    scope_code,
    list_position(['province', 'district', 'commune'], unit_kind)
