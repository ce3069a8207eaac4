insert into audit.finding_status
select
    s.fingerprint,
    s.rule,
    s.severity,
    s.unit_code,
    s.period_label,
    s.source_file,
    s.source_row,
    s.finding_key,
    s.message,
    s.message_vi,
    $run_id as first_seen_run,
    $now as first_seen_at,
    $run_id as last_seen_run,  -- noqa: AL08
    $now as last_seen_at,  -- noqa: AL08
    null as resolved_run,
    null as resolved_at
from _seen as s
where s.fingerprint in (
    select d.fingerprint from _decided as d
    where d.status = 'new'
)
