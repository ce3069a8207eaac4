-- Whether the working database has the table already.
select count(*) as found
from information_schema.tables
where table_schema = $schema and table_name = $name
