-- The withdrawn file was not moved after all: its audit record says so.
update raw.submission_withdrawals
set moved_to = null
where file_id = $file_id and withdrawn_at = $withdrawn_at
