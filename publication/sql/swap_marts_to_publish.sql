-- The tables of the working database's published schema (marts), in name order: what is published;
-- with their estimated rows (the largest are copied first).
select
    listed.table_name,
    coalesce(sizes.estimated_size, 0) as estimated_rows
from information_schema.tables as listed
left join duckdb_tables() as sizes
    on
        listed.table_catalog = sizes.database_name
        and listed.table_schema = sizes.schema_name
        and listed.table_name = sizes.table_name
where
    listed.table_schema = $schema  -- noqa: RF02
    and listed.table_type = 'BASE TABLE'
order by listed.table_name
