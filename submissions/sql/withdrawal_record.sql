-- The audit record of one withdrawal.
insert into raw.submission_withdrawals (
    file_id,
    file_name,
    source_families,
    unit_codes,
    period_labels,
    row_count,
    reason,
    withdrawn_by,
    withdrawn_at,
    rows_removed,
    moved_to,
    loaded_at,
    load_run_id
) values (
    $file_id,
    $file_name,
    $source_families,
    $unit_codes,
    $period_labels,
    $row_count,
    $reason,
    $withdrawn_by,
    $withdrawn_at,
    $rows_removed,
    $moved_to,
    $loaded_at,
    $load_run_id
)
