-- The run that loaded the file $file_id.
select any_value(run_id) as load_run_id
from raw.file_manifest
where file_id = $file_id and status = 'loaded'
