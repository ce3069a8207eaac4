-- The name of each loaded file.
select
    file_id,
    min(file_name) as file_name
from raw.file_manifest
where status = 'loaded'
group by file_id
