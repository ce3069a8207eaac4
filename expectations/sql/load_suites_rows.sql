-- The load findings of the files still loaded (raw.load_findings, written by
-- ingest/form_checks.py), with their file's name: the rows the load_findings suite checks,
-- materialised as the temp table the runner validates (expectations.spec.SUITE_ROWS).
create or replace temp table suite_rows as
with loaded as (
    select
        file_id,
        any_value(file_name) as file_name
    from raw.file_manifest
    where status = 'loaded'
    group by file_id
)

select
    f.*,
    m.file_name as source_file
from raw.load_findings as f
inner join loaded as m on f.file_id = m.file_id
