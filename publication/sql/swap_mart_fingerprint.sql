-- One relation's rows and the sum of its rows' hashes ($relation: `schema.table` or
-- `catalog.schema.table`): two relations with the same columns and the same fingerprint hold
-- the same rows.
select
    count(*) as row_count,
    coalesce(sum(cast(hash(relation_rows) as hugeint)), 0) as row_hashes
from query_table($relation) as relation_rows
