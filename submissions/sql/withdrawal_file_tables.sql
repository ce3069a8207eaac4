-- Raw tables holding submitted rows (a file_id column), the manifest and the audit table
-- excepted.
select c.table_name
from information_schema.columns as c
inner join information_schema.tables as t
    on c.table_schema = t.table_schema and c.table_name = t.table_name
where
    c.table_schema = 'raw'
    and c.column_name = 'file_id'
    and c.table_name not in ('file_manifest', 'submission_withdrawals')
    and t.table_type = 'BASE TABLE'
order by c.table_name
