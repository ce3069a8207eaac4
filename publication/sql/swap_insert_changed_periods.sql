-- Insert the changed periods' rows (swap_changed_periods.sql) of one mart from the working
-- database into the attached publication (the same columns, checked by
-- publication/refresh.py); returns the count. "{mart}" as in swap_delete_changed_periods.sql.
insert into publication.marts."{mart}"  -- noqa: RF05
select working_rows.*
from marts."{mart}" as working_rows  -- noqa: RF05
where exists (
    select 1
    from changed_periods
    where changed_periods.period_end is not distinct from working_rows.period_end
)
