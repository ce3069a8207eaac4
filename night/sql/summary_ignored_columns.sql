-- the header columns the reader did not load, by file loaded in the run
select
    file_name,
    ignored_columns
from raw.file_manifest
where run_id = $run_id and status = 'loaded' and len(ignored_columns) > 0
order by file_name
