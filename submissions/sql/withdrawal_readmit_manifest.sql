-- The withdrawn file $file_id's manifest rows become pending: the next night loads it.
update raw.file_manifest
set
    status = 'pending',
    load_attempts = 0,
    row_count = 0,
    message = $message,
    message_vi = $message_vi
where file_id = $file_id and status = 'withdrawn'
