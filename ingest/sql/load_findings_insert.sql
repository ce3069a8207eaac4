-- one finding of a form's own checks (ingest/form_checks.py) in raw.load_findings
insert into raw.load_findings (
    file_id,
    source_family,
    sheet_name,
    source_row,
    column_ref,
    rule,
    severity,
    stated_value,
    computed_value,
    difference,
    message,
    message_vi,
    unit_code,
    period_label,
    loaded_at
)
values (
    $file_id,
    $source_family,
    $sheet_name,
    $source_row,
    $column_ref,
    $rule,
    $severity,
    $stated_value,
    $computed_value,
    $difference,
    $message,
    $message_vi,
    $unit_code,
    $period_label,
    $loaded_at
)
