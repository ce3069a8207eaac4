-- the findings of the forms' own checks at load, by file loaded in the run
select
    m.file_name,
    count(*) as warnings
from raw.load_findings as f
inner join raw.file_manifest as m
    on f.file_id = m.file_id and f.source_family = m.source_family
where
    m.run_id = $run_id  -- noqa: RF02
    and m.status = 'loaded'
group by m.file_name
order by m.file_name
