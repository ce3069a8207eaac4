-- The periods (`period_end`) in which one mart's rows differ between the working database
-- ($working: `marts.<mart>`) and the attached copy of the previous publication ($published):
-- per period, each side's rows and the sum of its rows' hashes. Kept in a temporary table of
-- this connection, which swap_delete_changed_periods.sql and swap_insert_changed_periods.sql
-- read.
create or replace temp table changed_periods as
with

working_periods as (
    select
        working_rows.period_end,
        count(*) as row_count,
        sum(cast(hash(working_rows) as hugeint)) as row_hashes
    from query_table($working) as working_rows
    group by working_rows.period_end
),

published_periods as (
    select
        published_rows.period_end,
        count(*) as row_count,
        sum(cast(hash(published_rows) as hugeint)) as row_hashes
    from query_table($published) as published_rows
    group by published_rows.period_end
)

select
    coalesce(working_periods.period_end, published_periods.period_end) as period_end,
    coalesce(working_periods.row_count, 0) as working_rows,
    coalesce(published_periods.row_count, 0) as published_rows
from working_periods
full outer join published_periods
    on working_periods.period_end is not distinct from published_periods.period_end
where
    working_periods.row_count is distinct from published_periods.row_count
    or working_periods.row_hashes is distinct from published_periods.row_hashes
