-- The details of the findings of the runs $run_ids, by fingerprint (md5 of rule, unit,
-- period, file, row and key: the fingerprint of expectations/history.py). A findings table
-- written by an older release has no details column: the empty relation joined by name
-- gives it one, all null.
select
    run_id,
    md5(
        concat_ws(
            '|',
            rule,
            coalesce(unit_code, ''),
            coalesce(period_label, ''),
            coalesce(source_file, ''),
            coalesce(cast(source_row as varchar), ''),
            coalesce(finding_key, '')
        )
    ) as fingerprint,
    any_value(details) as details
from (
    from marts.data_quality_findings
    union all by name
    select cast(null as varchar) as details
    where false
) as findings
where list_contains($run_ids, run_id)
group by all
