-- every registered inbox file, by content hash and name (a new file is neither)
select
    file_id,
    file_name
from raw.file_manifest
