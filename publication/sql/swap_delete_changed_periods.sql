-- Delete the changed periods' rows (swap_changed_periods.sql) from one mart of the attached
-- publication; returns the count. "{mart}" is the mart's name, filled in (quoted) by
-- publication/refresh.py from the working database's catalogue: DuckDB binds no name.
delete from publication.marts."{mart}" as published_rows  -- noqa: RF05
where exists (
    select 1
    from changed_periods
    where changed_periods.period_end is not distinct from published_rows.period_end
)
