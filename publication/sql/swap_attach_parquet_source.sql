-- The new (audited) publication file, read to write its Parquet set.
-- (sqlfluff's DuckDB dialect does not parse ATTACH with a parameter)
attach $path as parquet_source (read_only)  -- noqa: PRS
