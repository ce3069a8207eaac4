-- SQLite, not DuckDB (Dagster's event log files, orchestration/dagster_storage.py): in
-- write-ahead-log mode, a commit is flushed to disk at the next checkpoint, not one by one
pragma synchronous = normal -- noqa: PRS
