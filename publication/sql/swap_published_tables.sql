-- The marts the attached publication holds (a copy of the previous one), in name order.
select table_name
from information_schema.tables
where
    table_catalog = 'publication'
    and table_schema = $schema
    and table_type = 'BASE TABLE'
order by table_name
