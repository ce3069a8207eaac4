-- 1 when a submission was ever withdrawn (raw.submission_withdrawals exists)
select count(*) as found
from information_schema.tables
where table_schema = 'raw' and table_name = 'submission_withdrawals'
