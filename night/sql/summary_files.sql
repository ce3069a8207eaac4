-- the files the run registered, with what became of them
select
    file_name,
    source_family,
    status,
    row_count,
    message,
    message_vi
from raw.file_manifest
where run_id = $run_id
order by file_name
