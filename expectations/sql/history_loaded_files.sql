-- The files loaded (raw.file_manifest): a rejected file's finding stays open until a file
-- of the same name is loaded after it.
create or replace temp table _loaded_files as
select
    file_name,
    loaded_at
from raw.file_manifest
where status = 'loaded'
