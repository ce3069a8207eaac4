-- The loaded file $file_id's manifest rows become withdrawn, with the message why.
update raw.file_manifest
set status = 'withdrawn', message = $message, message_vi = $message_vi
where file_id = $file_id and status = 'loaded'
