-- The latest withdrawal of each file.
select
    file_id,
    withdrawn_at,
    withdrawn_by,
    reason,
    moved_to
from raw.submission_withdrawals
qualify row_number() over (partition by file_id order by withdrawn_at desc) = 1
