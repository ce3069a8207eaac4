-- This run's findings by status (new, open, resolved).
select
    status,
    count(*) as findings
from marts.data_quality_finding_status
where run_id = $run_id
group by status
