-- 1 when the findings history has recorded a run (audit.finding_history_runs exists)
select count(*) as found
from information_schema.tables
where table_schema = 'audit' and table_name = 'finding_history_runs'
