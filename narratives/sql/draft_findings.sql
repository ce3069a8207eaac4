-- The data-quality findings of the latest publication about the unit or its communes for
-- the period (Vietnamese messages, each once).
-- sqlfluff:templater:placeholder:period_label:'2018'
-- sqlfluff:templater:placeholder:unit_code:'L568'
select distinct
    f.rule,
    f.message_vi
from marts.data_quality_findings as f
left join marts.dim_admin_units as u on f.unit_code = u.unit_code
where
    (f.unit_code = $unit_code or u.parent_code = $unit_code)
    and f.period_label = $period_label
    and f.run_id = (select max(p.run_id) from meta.publication as p)
order by f.rule, f.message_vi
