-- whether the run recorded the findings history
select count(*) as found
from audit.finding_history_runs
where run_id = $run_id
