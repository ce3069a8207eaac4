-- (sqlfluff's DuckDB dialect does not parse DETACH yet)
detach publication  -- noqa: PRS
