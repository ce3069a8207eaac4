-- DuckDB's threads for one query (global to the DuckDB instance): read before the marts are
-- copied, so that swap_set_threads.sql can put the setting back afterwards.
select cast(current_setting('threads') as bigint) as threads
