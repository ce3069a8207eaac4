-- The leaf columns of a Parquet file: physical type and logical annotation.
select
    name,
    type,
    converted_type,
    precision,
    scale
from parquet_schema($file)
where num_children is null or num_children = 0
