-- The current provinces with history summed from the legacy provinces
-- (figure_source = legacy_provinces); with $province_code (a legacy or current province),
-- only the current province that holds it.
-- sqlfluff:templater:placeholder:province_code:'L87'
select distinct
    v.unit_code,
    u.unit_name
from marts.fct_indicator_values as v
inner join marts.dim_admin_units as u on v.unit_code = u.unit_code
where
    v.figure_source = 'legacy_provinces'
    and u.unit_kind = 'province'
    and (
        $province_code is null
        or v.unit_code in (
            select held.current_province_code from marts.dim_admin_units as held
            where held.unit_code = $province_code
        )
    )
order by v.unit_code
