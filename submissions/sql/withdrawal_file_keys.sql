-- The keys (the columns $key_columns, packed in a struct: a unit and period or date) the
-- file $file_id holds in the whole-submission raw table $raw_table ('raw.dossiers', ...).
select distinct struct_pack(*columns(lambda c: list_contains($key_columns, c))) as replacement_key
from query_table($raw_table)
where file_id = $file_id and not coalesce(is_total_row, false) and unit_code is not null
