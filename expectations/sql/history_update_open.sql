-- Still open and seen again: the latest message and severity.
update audit.finding_status as h
set
    last_seen_run = $run_id,
    last_seen_at = $now,
    severity = s.severity,
    message = s.message,
    message_vi = s.message_vi
from _seen as s
where s.fingerprint = h.fingerprint and h.first_seen_run <> $run_id
