-- the last run that recorded the findings history
select run_id
from audit.finding_history_runs
order by recorded_at desc
limit 1
