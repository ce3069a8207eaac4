-- the WAL size at which a commit checkpoints the database (DuckDB's default: 16 MiB)
select current_setting('checkpoint_threshold') as threshold
