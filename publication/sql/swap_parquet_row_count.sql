-- Audit: the rows of a written Parquet file.
select count(*) as row_count
from read_parquet($file)
