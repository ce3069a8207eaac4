-- Every finding of the run $run_id (null: every run), all new: a publication without the
-- findings' history. A findings table written by an older release has no details column:
-- the empty relation joined by name gives it one, all null.
-- sqlfluff:templater:placeholder:run_id:'5d5d9b0d'
select
    'new' as status,
    f.severity,
    f.rule,
    f.unit_code,
    u.unit_name,
    f.period_label,
    f.source_file,
    f.source_row,
    f.message_vi,
    f.message,
    f.found_at as first_seen_at,
    f.details
from (
    from marts.data_quality_findings
    union all by name
    select cast(null as varchar) as details
    where false
) as f
left join marts.dim_admin_units as u on f.unit_code = u.unit_code
where ($run_id is null or f.run_id = $run_id)
