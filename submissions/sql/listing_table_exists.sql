-- Whether the table $table_schema.$table_name exists (a count: 0 or 1).
select count(*) as found
from information_schema.tables
where table_schema = $table_schema and table_name = $table_name
