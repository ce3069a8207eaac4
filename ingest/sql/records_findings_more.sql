-- a record export's row findings beyond the ones listed one by one: how many more
insert into raw.load_findings (
    file_id,
    source_family,
    source_row,
    column_ref,
    rule,
    severity,
    stated_value,
    computed_value,
    difference,
    message,
    message_vi,
    loaded_at
)
values (
    $file_id,
    'dossier_records',
    null,
    $column_ref,
    $rule,
    'warn',
    $stated_value,
    0,
    $difference,
    $message,
    $message_vi,
    $loaded_at
)
