-- Whether raw.file_manifest exists (a warehouse with no file loaded yet has none).
select count(*) as found
from information_schema.tables
where table_schema = 'raw' and table_name = 'file_manifest'
