-- The periods (`period_end`) in which one mart's rows differ between the working database
-- ($working: `marts.<mart>`) and the attached copy of the previous publication ($published):
-- per period, each side's rows and the sum of its rows' hashes. Kept in a temporary table of
-- this connection, which swap_delete_changed_periods.sql and swap_insert_changed_periods.sql
-- read. (A null period_end is one period, as `group by` makes it.)
create or replace temp table changed_periods as
with

both_sides as (
    select
        true as is_working,
        working_rows.period_end,
        cast(hash(working_rows) as hugeint) as row_hash
    from query_table($working) as working_rows
    union all
    select
        false as is_working,
        published_rows.period_end,
        cast(hash(published_rows) as hugeint) as row_hash
    from query_table($published) as published_rows
),

per_period as (
    select
        period_end,
        count(*) filter (where is_working) as working_rows,
        count(*) filter (where not is_working) as published_rows,
        coalesce(sum(row_hash) filter (where is_working), 0) as working_hashes,
        coalesce(sum(row_hash) filter (where not is_working), 0) as published_hashes
    from both_sides
    group by period_end
)

select
    period_end,
    working_rows,
    published_rows
from per_period
where working_rows != published_rows or working_hashes != published_hashes
