-- new / open / resolved findings of the run that recorded the history, by severity
select
    status,
    severity,
    count(*) as findings
from marts.data_quality_finding_status
where run_id = $run_id
group by status, severity
