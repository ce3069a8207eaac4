-- the files each content was first registered as (a later copy is a duplicate of it)
select
    file_id,
    file_name,
    source_family
from raw.file_manifest
where status <> 'duplicate'
order by loaded_at
