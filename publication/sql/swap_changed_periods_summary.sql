-- The changed periods (swap_changed_periods.sql): how many, and the rows they hold on each side.
select
    count(*) as periods,
    coalesce(sum(working_rows), 0) as working_rows,
    coalesce(sum(published_rows), 0) as published_rows
from changed_periods
