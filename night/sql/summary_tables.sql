-- every table and view of the warehouse, as schema.name
select table_schema || '.' || table_name as table_name
from information_schema.tables
