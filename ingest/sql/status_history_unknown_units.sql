-- the first unit code of the staged status history that names no unit (VN aside)
select
    h.unit_code,
    h.unit_cell,
    min(h.source_row) as first_row
from temp._history_typed as h
left join raw.admin_units as u on h.unit_code = u.unit_code
where u.unit_code is null and h.unit_code <> 'VN'
group by h.unit_code, h.unit_cell
order by first_row
limit 1
