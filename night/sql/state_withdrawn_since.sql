-- the submissions withdrawn after $since (the last published night), oldest first
select
    file_name,
    source_families
from raw.submission_withdrawals
where withdrawn_at > $since
order by withdrawn_at
