-- the run's error findings by rule, unit and file (no admin unit list yet: no unit names)
-- (file_rejected findings are listed as rejected files)
select
    f.rule,
    f.unit_code,
    null::varchar as unit_name,
    f.source_file,
    f.source_file is not null and exists (
        select 1 from raw.file_manifest as m
        where m.file_name = f.source_file and m.status = 'loaded'
    ) as file_loaded,
    count(*) as findings,
    min(f.message_vi) as message_vi,
    min(f.message) as message_en
from marts.data_quality_findings as f
where
    f.run_id = $run_id  -- noqa: RF02
    and f.severity = 'error'
    and f.rule != 'file_rejected'
group by all
order by f.source_file nulls last, f.rule, f.unit_code
