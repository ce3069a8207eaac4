-- The findings of the run $run_id with their history status (new, open, resolved). With
-- $still_open_only: the findings still open after that run, all listed as open (the alert
-- of a run that did not record the history). Details are attached by
-- expectations.impact.attach_details (run_id and fingerprint).
select
    run_id,
    fingerprint,
    case when $still_open_only then 'open' else status end as status,
    severity,
    rule,
    unit_code,
    period_label,
    source_file,
    source_row,
    strftime(first_seen_at, '%Y-%m-%d') as first_seen_at,
    message,
    message_vi
from marts.data_quality_finding_status
where run_id = $run_id and (not $still_open_only or status <> 'resolved')
