-- The findings of the run $run_id, all new (a warehouse without the findings history). A
-- findings table written by an older release has no details column: the empty relation
-- joined by name gives it one, all null.
select
    'new' as status,
    severity,
    rule,
    unit_code,
    period_label,
    source_file,
    source_row,
    null as first_seen_at,
    message,
    message_vi,
    details
from (
    from marts.data_quality_findings
    union all by name
    select cast(null as varchar) as details
    where false
) as findings
where run_id = $run_id
