-- the rows of one record export and its units, once inserted
select
    count(*) as row_count,
    list(distinct unit_code order by unit_code) as unit_codes
from raw.dossier_records
where file_id = $file_id
