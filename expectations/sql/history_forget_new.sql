-- New findings (first time, or again after being resolved) start afresh.
delete from audit.finding_status
where fingerprint in (
    select d.fingerprint from _decided as d
    where d.status = 'new'
)
