-- A copy of the previous publication, attached to be brought up to date (publication/refresh.py):
-- its storage format is the one it was written in (PUBLISHED_STORAGE_VERSION).
attach $path as publication  -- noqa: PRS
