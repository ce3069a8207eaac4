-- The changed periods of one mart (swap_changed_periods.sql), dropped once it is up to date.
drop table if exists changed_periods
