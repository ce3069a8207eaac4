-- one row of raw.file_manifest (a registered, duplicate, rejected or skipped inbox file);
-- the columns a caller does not give are null
insert into raw.file_manifest (
    file_id,
    file_name,
    size_bytes,
    run_id,
    loaded_at,
    file_path,
    file_modified_at,
    load_attempts,
    source_family,
    status,
    row_count,
    message,
    message_vi,
    sheet_name,
    submitted_on,
    error_sheet,
    error_row,
    error_column
)
values (
    $file_id,
    $file_name,
    $size_bytes,
    $run_id,
    $loaded_at,
    $file_path,
    $file_modified_at,
    $load_attempts,
    $source_family,
    $status,
    $row_count,
    $message,
    $message_vi,
    $sheet_name,
    $submitted_on,
    $error_sheet,
    $error_row,
    $error_column
)
