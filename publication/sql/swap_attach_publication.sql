-- The new publication file, written in DuckDB 1.0's storage format
-- (publication.swap.PUBLISHED_STORAGE_VERSION).
attach $path as publication (storage_version 'v1.0.0')  -- noqa: PRS
