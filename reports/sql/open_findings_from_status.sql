-- The findings still open (new or open) in the run $run_id (null: every run), from the
-- findings' history; run_id and fingerprint find each one's details (expectations.impact).
-- sqlfluff:templater:placeholder:run_id:'5d5d9b0d'
select
    s.status,
    s.severity,
    s.rule,
    s.unit_code,
    u.unit_name,
    s.period_label,
    s.source_file,
    s.source_row,
    s.message_vi,
    s.message,
    s.first_seen_at,
    s.run_id,
    s.fingerprint
from marts.data_quality_finding_status as s
left join marts.dim_admin_units as u on s.unit_code = u.unit_code
where s.status in ('new', 'open') and ($run_id is null or s.run_id = $run_id)
