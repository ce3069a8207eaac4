-- The withdrawal of the file $file_id is undone: when and by whom.
update raw.submission_withdrawals
set readmitted_at = $readmitted_at, readmitted_by = $readmitted_by
where file_id = $file_id and readmitted_at is null
