-- files loaded after $through (the last published night's high-water mark)
select distinct file_name
from raw.file_manifest
where status = 'loaded' and loaded_at > cast($through as timestamp)
order by file_name
