-- a pending file's loading starts: counted (and committed) before it is read
update raw.file_manifest
set load_attempts = coalesce(load_attempts, 0) + 1
where file_id = $file_id and source_family = $family and status = 'pending'
