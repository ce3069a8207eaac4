-- files of one family loaded earlier in run $run_id that share a unit and a period with
-- file $file_id, both with rows in the family's raw table $submission_table (one of the
-- whole-submission tables: dossiers, staff, budget, surveys, self_assessment_rows)
with submitted as (
    select file_id from raw.dossiers
    where $submission_table = 'dossiers'
    union all
    select file_id from raw.staff
    where $submission_table = 'staff'
    union all
    select file_id from raw.budget
    where $submission_table = 'budget'
    union all
    select file_id from raw.surveys
    where $submission_table = 'surveys'
    union all
    select file_id from raw.self_assessment_rows
    where $submission_table = 'self_assessment_rows'
),

this_file as (
    select count(*) > 0 as has_rows
    from submitted
    where file_id = $file_id
)

select
    m.file_name,
    m.submitted_on,
    m.file_modified_at,
    m.unit_codes,
    m.period_labels
from raw.file_manifest as m
where
    m.status = 'loaded'
    and m.source_family = $family
    and m.run_id = $run_id
    and m.file_id <> $file_id
    and list_has_any(m.unit_codes, $unit_codes)
    and list_has_any(m.period_labels, $period_labels)
    and exists (
        select 1 from submitted as s
        where s.file_id = m.file_id
    )
    and (select t.has_rows from this_file as t)
order by m.loaded_at
