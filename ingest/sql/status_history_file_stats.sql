-- the rows of one status history and its units, once inserted
select
    count(*) as row_count,
    list(distinct unit_code order by unit_code) as unit_codes
from raw.dossier_status_history
where file_id = $file_id
