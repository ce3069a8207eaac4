-- (sqlfluff's DuckDB dialect does not parse DETACH yet)
detach parquet_source  -- noqa: PRS
