-- The rows of one relation ($relation: `schema.table`, or `catalog.schema.table`).
select count(*) as row_count
from query_table($relation)
