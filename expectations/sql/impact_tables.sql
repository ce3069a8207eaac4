-- The relations of the database at hand, as schema.name (which fact marts a read can use).
select table_schema || '.' || table_name as relation
from information_schema.tables
where table_catalog = current_database()
