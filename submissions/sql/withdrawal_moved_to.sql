-- Where the file $file_id went when it was last withdrawn (not re-admitted since).
select moved_to
from raw.submission_withdrawals
where file_id = $file_id and readmitted_at is null
order by withdrawn_at desc
limit 1
