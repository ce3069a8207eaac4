-- A mart's columns and DuckDB types in the new publication (attached as `publication`), in order.
select
    column_name,
    data_type
from information_schema.columns
where
    table_catalog = 'publication'
    and table_schema = $schema
    and table_name = $table
order by ordinal_position
