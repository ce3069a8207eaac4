-- source families of the files registered and not loaded, or loaded after $through (the last
-- published night's high-water mark)
select distinct source_family
from raw.file_manifest
where
    source_family is not null
    and (
        status = 'pending'
        or (status = 'loaded' and loaded_at > cast($through as timestamp))
    )
