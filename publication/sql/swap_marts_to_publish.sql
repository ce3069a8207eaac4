-- The tables of the working database's published schema (marts), in name order: what is published.
select table_name
from information_schema.tables
where table_schema = $schema and table_type = 'BASE TABLE'
order by table_name
