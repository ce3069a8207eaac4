-- the columns of raw.file_manifest (older warehouses lack ignored_columns)
select column_name
from information_schema.columns
where table_schema = 'raw' and table_name = 'file_manifest'
