-- the pending files of one family (ingest/inbox.py orders them by submission)
select
    file_id,
    file_name,
    file_path,
    submitted_on,
    file_modified_at,
    coalesce(load_attempts, 0) as load_attempts
from raw.file_manifest
where status = 'pending' and source_family = $family
order by file_name
