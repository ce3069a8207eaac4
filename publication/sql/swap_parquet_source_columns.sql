-- A published mart's columns and DuckDB types, in order.
select
    column_name,
    data_type
from information_schema.columns
where
    table_catalog = 'parquet_source'
    and table_schema = $schema
    and table_name = $table
order by ordinal_position
