-- The units (and periods: the as-of date) whose rows of marts.fct_staffing came from the files
-- $files.
select
    source_file,
    unit_code,
    strftime(as_of_date, '%Y-%m-%d') as period_label
from marts.fct_staffing
where unit_code is not null and list_contains($files, source_file)
