-- a pending file loaded: what it held and what was said about it
update raw.file_manifest
set
    status = 'loaded',
    row_count = $row_count,
    unit_codes = $unit_codes,
    period_labels = $period_labels,
    sheet_name = coalesce($sheet_name, sheet_name),
    message = $message,
    message_vi = $message_vi,
    ignored_columns = $ignored_columns,
    column_map = $column_map,
    run_id = $run_id,
    loaded_at = $loaded_at
where file_id = $file_id and source_family = $family and status = 'pending'
