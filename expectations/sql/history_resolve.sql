update audit.finding_status
set resolved_run = $run_id, resolved_at = $now
where fingerprint in (
    select d.fingerprint from _decided as d
    where d.status = 'resolved'
)
