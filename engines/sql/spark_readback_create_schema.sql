-- The schema of a table Spark built. "{schema}" is an identifier placeholder filled in
-- (quoted) by engines.spark_readback: DuckDB binds values, not names, and the name comes
-- from dbt's manifest.
create schema if not exists "{schema}"  -- noqa: RF05
