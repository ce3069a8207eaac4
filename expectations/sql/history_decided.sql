-- Each finding's status in this run, decided before the history table is touched: new
-- (first seen, or again after being resolved), open, or resolved (open until now, absent
-- from this run; a rejected file stays open until a file of its name is loaded after it).
create or replace temp table _decided as
select
    s.fingerprint,
    case
        when h.fingerprint is null or h.resolved_at is not null then 'new' else 'open'
    end as status
from _seen as s
left join audit.finding_status as h on s.fingerprint = h.fingerprint
union all
select
    h.fingerprint,
    case
        when
            list_contains($sticky_rules, h.rule)
            and not exists (
                select 1 from _loaded_files as m
                where m.file_name = h.source_file and m.loaded_at > h.first_seen_at
            )
            then 'open'
        else 'resolved'
    end as status
from audit.finding_status as h
where
    h.resolved_at is null
    and h.fingerprint not in (select s.fingerprint from _seen as s)
