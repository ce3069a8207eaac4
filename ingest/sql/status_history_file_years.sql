-- the years of one status history's changes and the last day changed in each
select
    year(changed_at) as changed_year,
    max(changed_at)::date as last_changed
from raw.dossier_status_history
where file_id = $file_id
group by 1
order by 1
