-- the run's findings by severity
select
    severity,
    count(*) as findings
from marts.data_quality_findings
where run_id = $run_id
group by severity
