-- a pending file rejected while it was loaded, with where its error is
update raw.file_manifest
set
    status = 'rejected',
    row_count = 0,
    message = $message,
    message_vi = $message_vi,
    error_sheet = $error_sheet,
    error_row = $error_row,
    error_column = $error_column,
    run_id = $run_id,
    loaded_at = $loaded_at
where file_id = $file_id and source_family = $family and status = 'pending'
