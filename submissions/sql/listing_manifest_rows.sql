-- Manifest rows grouped per (file, name, status): one submission each, oldest first.
-- Each filter applies when its parameter is not null (all null: every file): a file_hash
-- prefix, names as submitted, the file's path, a base name (the name or its last part).
select
    file_id,
    file_name,
    status,
    list(distinct source_family order by source_family) filter (
        where source_family is not null
    ) as families,
    coalesce(sum(row_count), 0) as row_count,
    flatten(list(coalesce(unit_codes, []))) as unit_codes,
    flatten(list(coalesce(period_labels, []))) as period_labels,
    max(loaded_at) as loaded_at,
    any_value(file_path) as file_path,
    any_value(message) as message,
    any_value(message_vi) as message_vi
from raw.file_manifest
where
    ($hash_prefix is null or starts_with(file_id, $hash_prefix))
    and ($names is null or list_contains($names, file_name))
    and ($file_path is null or file_path = $file_path)
    and (
        $base_name is null
        or file_name = $base_name
        or ends_with(file_name, '/' || $base_name)
    )
group by file_id, file_name, status
order by max(loaded_at), file_name
