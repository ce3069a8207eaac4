-- Each loaded file's name by file_id: the source_file of a raw table's findings (raw tables
-- have no source_file column; expectations.spec.Suite.rows joins this as `_m`).
select
    file_id,
    any_value(file_name) as _manifest_file_name
from raw.file_manifest
group by file_id
