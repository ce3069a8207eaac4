-- No raw.file_manifest yet: no file loaded (history_loaded_files.sql's columns).
create or replace temp table _loaded_files (
    file_name varchar,
    loaded_at timestamp
)
