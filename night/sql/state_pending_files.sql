-- files registered and never loaded nor rejected (a night died while loading them)
select distinct file_name
from raw.file_manifest
where status = 'pending'
order by file_name
