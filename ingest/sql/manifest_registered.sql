-- every (content, name) pair already in the manifest: a file registered under both is not new
select
    file_id,
    file_name
from raw.file_manifest
