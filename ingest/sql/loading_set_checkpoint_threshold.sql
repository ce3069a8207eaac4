-- the WAL size at which a commit checkpoints the database, while a family's files load
set checkpoint_threshold = $threshold
