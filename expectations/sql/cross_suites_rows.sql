-- A cross-table suite's rows: its dbt view quality.<suite> ($relation), materialised once as
-- the temp table the runner validates (expectations.spec.SUITE_ROWS).
create or replace temp table suite_rows as
select *
from query_table($relation)
