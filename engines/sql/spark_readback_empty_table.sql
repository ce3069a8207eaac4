-- Spark wrote no file for an empty partitioned table: its DuckDB table keeps its columns
-- and loses its rows. "{schema}"."{name}" is filled in (quoted) by engines.spark_readback.
delete from "{schema}"."{name}"  -- noqa: RF05
