-- Whether this run's history was recorded already (recording is idempotent per run).
select count(*) as recorded
from audit.finding_history_runs
where run_id = $run_id
