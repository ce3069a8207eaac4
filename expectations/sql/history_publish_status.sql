-- This run's view of the history, published with the marts.
insert into marts.data_quality_finding_status
select
    $run_id,  -- noqa: RF02
    h.fingerprint,
    d.status,
    h.rule,
    h.severity,
    h.unit_code,
    h.period_label,
    h.source_file,
    h.source_row,
    h.finding_key,
    h.message,
    h.message_vi,
    h.first_seen_at,
    h.last_seen_at,
    h.resolved_at
from _decided as d
inner join audit.finding_status as h on d.fingerprint = h.fingerprint
