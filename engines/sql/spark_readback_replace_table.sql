-- A model's table replaced by the Parquet Spark wrote ($pattern: its files; partitioned
-- models in hive `<column>=<value>/` folders). "{schema}"."{name}" is filled in (quoted) by
-- engines.spark_readback.
create or replace table "{schema}"."{name}" as  -- noqa: RF05
select *
from read_parquet($pattern, hive_partitioning = $partitioned)
