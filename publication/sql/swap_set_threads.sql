-- DuckDB's threads for one query ($threads; global to the DuckDB instance). While the marts
-- are copied, the copying connections share the threads the working database was given
-- (publication/swap.py: threads_per_copy); then the setting is put back.
set threads = $threads
