-- the last load time of the manifest: what a publication includes (later rows are not published)
select max(loaded_at) as loaded_through
from raw.file_manifest
