-- What a dossier's status history (family dossier_status_history) says about the 766
-- progress rule (2.1), per unit × dossier, from the latest file that holds the dossier (a
-- later export of the history replaces the earlier one whole for that dossier). Changes are
-- ordered by their time, then their row in the file:
--   supplement_requests: entries into waiting_supplement (a change to waiting_supplement
--     whose previous change was not);
--   supplement_requested_at: the first entry;
--   supplement_completed_at: the first later change to another status (the applicant
--     completed the supplements; null while still waiting);
--   ended_at, end_status: the first change to resolved, withdrawn or stopped.
-- int_qd766_records_monthly uses these where the record export leaves a field blank.
with

history as (

    select * from {{ ref('stg_raw__dossier_status_history') }}

),

files_ranked as (

    select
        *,
        dense_rank() over (
            partition by unit_code, dossier_id
            order by loaded_at desc, file_id desc
        ) as file_rank
    from history

),

ordered as (

    select
        unit_code,
        dossier_id,
        file_id,
        loaded_at,
        status,
        changed_at,
        row_number() over (
            partition by unit_code, dossier_id
            order by changed_at, source_row
        ) as change_order,
        lag(status) over (
            partition by unit_code, dossier_id
            order by changed_at, source_row
        ) as previous_status
    from files_ranked
    where file_rank = 1

),

marked as (

    select
        *,
        status = 'waiting_supplement'
        and coalesce(previous_status, '') <> 'waiting_supplement' as is_supplement_entry,
        status in ('resolved', 'withdrawn', 'stopped') as is_end
    from ordered

),

firsts as (

    select
        unit_code,
        dossier_id,
        max(file_id) as file_id,
        max(loaded_at) as loaded_at,
        count(*) as changes,
        count(*) filter (where is_supplement_entry) as supplement_requests,
        min(change_order) filter (where is_supplement_entry) as first_entry_order,
        min(change_order) filter (where is_end) as end_order
    from marked
    group by unit_code, dossier_id

),

completed as (

    select
        firsts.unit_code,
        firsts.dossier_id,
        min(marked.change_order) as completed_order
    from firsts
    inner join marked
        on
            firsts.unit_code = marked.unit_code
            and firsts.dossier_id = marked.dossier_id
            and firsts.first_entry_order < marked.change_order
            and marked.status <> 'waiting_supplement'
    group by firsts.unit_code, firsts.dossier_id

),

final as (

    select
        firsts.unit_code,
        firsts.dossier_id,
        firsts.file_id,
        firsts.loaded_at,
        firsts.changes,
        firsts.supplement_requests,
        entry.changed_at as supplement_requested_at,
        completing.changed_at as supplement_completed_at,
        closing.changed_at as ended_at,
        closing.status as end_status
    from firsts
    left join marked as entry
        on
            firsts.unit_code = entry.unit_code
            and firsts.dossier_id = entry.dossier_id
            and firsts.first_entry_order = entry.change_order
    left join completed
        on
            firsts.unit_code = completed.unit_code
            and firsts.dossier_id = completed.dossier_id
    left join marked as completing
        on
            completed.unit_code = completing.unit_code
            and completed.dossier_id = completing.dossier_id
            and completed.completed_order = completing.change_order
    left join marked as closing
        on
            firsts.unit_code = closing.unit_code
            and firsts.dossier_id = closing.dossier_id
            and firsts.end_order = closing.change_order

)

select * from final
