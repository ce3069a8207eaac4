-- This run's findings, and the rejected files ($sticky_rules) of runs that never recorded
-- the history, one row per fingerprint (an error before a warning). The fingerprint is
-- expectations.history.FINGERPRINT_SQL: md5(rule | unit | period | file | row | key).
create or replace temp table _seen as
with f as (
    select
        run_id as found_run,
        found_at,
        rule,
        severity,
        unit_code,
        period_label,
        source_file,
        source_row,
        finding_key,
        message,
        message_vi,
        md5(concat_ws(
            '|',
            rule,
            coalesce(unit_code, ''),
            coalesce(period_label, ''),
            coalesce(source_file, ''),
            coalesce(cast(source_row as varchar), ''),
            coalesce(finding_key, '')
        )) as fingerprint
    from marts.data_quality_findings
)

select
    fingerprint,
    rule,
    severity,
    unit_code,
    period_label,
    source_file,
    source_row,
    finding_key,
    message,
    message_vi
from f
where
    found_run = $run_id  -- noqa: RF02
    or (
        list_contains($sticky_rules, rule)
        and found_run not in (select r.run_id from audit.finding_history_runs as r)
        and not exists (
            select 1 from audit.finding_status as h
            where
                h.fingerprint = f.fingerprint
                and (h.resolved_at is null or h.resolved_at >= f.found_at)
        )
    )
qualify row_number() over (
    partition by fingerprint
    order by case severity when 'error' then 0 else 1 end
) = 1
