-- A published mart's columns and types, in order (none when the mart is missing).
select
    column_name,
    data_type
from information_schema.columns
where table_schema = 'marts' and table_name = $table
order by ordinal_position
