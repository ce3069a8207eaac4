-- The periods of the 766 view (marts.fct_766_group_scores): the year $year when the marts
-- have it ('2023' also finds a year not yet over, '2023-11M'), else the latest year, and the
-- latest quarter within that year; only periods with a unit of the province $province_code
-- (null: any province). The year first.
-- sqlfluff:templater:placeholder:year:'2023'
-- sqlfluff:templater:placeholder:province_code:'L87'
with

scoped as (

    select distinct
        g.period_kind,
        g.period_start,
        g.period_end,
        g.period_label
    from marts.fct_766_group_scores as g
    inner join marts.dim_admin_units as u on g.unit_code = u.unit_code
    where
        g.period_kind in ('year', 'quarter')
        and g.unit_kind <> 'nation'
        and ($province_code is null or u.province_code = $province_code)

),

chosen_year as (

    select *
    from scoped
    where period_kind = 'year'
    qualify row_number() over (
        order by
            coalesce(year(period_start) = try_cast($year as integer), false) desc,
            period_start desc
    ) = 1

),

latest_quarter as (

    select scoped.*
    from scoped
    inner join chosen_year
        on scoped.period_start between chosen_year.period_start and chosen_year.period_end
    where scoped.period_kind = 'quarter'
    qualify row_number() over (order by scoped.period_start desc) = 1

)

select
    period_kind,
    period_start,
    period_end,
    period_label
from chosen_year
union all
select
    period_kind,
    period_start,
    period_end,
    period_label
from latest_quarter
