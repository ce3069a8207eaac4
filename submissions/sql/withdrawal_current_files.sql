-- For each key (the columns $key_columns, packed in a struct) of the units $unit_codes in the
-- whole-submission raw table $raw_table: the loaded file that wins it now (the latest).
with loaded as (
    select
        file_id,
        min(file_name) as file_name
    from raw.file_manifest
    where status = 'loaded'
    group by file_id
),

latest as (
    select
        file_id,
        struct_pack(*columns(lambda c: list_contains($key_columns, c))) as replacement_key
    from query_table($raw_table)
    where
        list_contains($unit_codes, unit_code)
        and not coalesce(is_total_row, false)
        and file_id in (select loaded.file_id from loaded)
    qualify row_number() over (
        partition by replacement_key order by loaded_at desc, file_id desc
    ) = 1
)

select
    latest.replacement_key,
    loaded.file_name
from latest
inner join loaded on latest.file_id = loaded.file_id
