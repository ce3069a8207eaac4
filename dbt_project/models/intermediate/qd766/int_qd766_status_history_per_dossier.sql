-- What a dossier's status history (family dossier_status_history) says about the 766
-- progress rule (2.1), per unit × dossier, from every file that holds the dossier:
--   a later file replaces an earlier one's changes from its own first change of the dossier
--     on (a full export again replaces the whole history, a month's export of the changes
--     since the last one adds to it); the same change in two files counts once;
--   changes are ordered by their time, then the file's order: a file listing each dossier's
--     latest change first (its first row later than its last, for most of its dossiers) is
--     read upward where two changes share a time;
--   supplement_requests: entries into waiting_supplement (a change to waiting_supplement
--     whose previous change was not);
--   supplement_requested_at: the first entry;
--   supplement_completed_at: the first later change to another status (the applicant
--     completed the supplements; null while still waiting);
--   ended_at, end_status: the first change to resolved, withdrawn or stopped after which the
--     dossier took no other status (a stop followed by processing was a pause, not an end).
-- int_qd766_records_monthly uses these where the record export leaves a field blank.
with

history as (

    select * from {{ ref('stg_raw__dossier_status_history') }}

),

dossier_files as (

    select
        unit_code,
        dossier_id,
        file_id,
        max(loaded_at) as loaded_at,
        min(changed_at) as first_changed_at,
        min_by(changed_at, source_row) as first_row_changed_at,
        max_by(changed_at, source_row) as last_row_changed_at
    from history
    group by unit_code, dossier_id, file_id

),

file_directions as (

    select
        file_id,
        sum(
            case
                when first_row_changed_at > last_row_changed_at then 1
                when first_row_changed_at < last_row_changed_at then -1
                else 0
            end
        ) > 0 as is_latest_first
    from dossier_files
    group by file_id

),

dossier_file_cutoffs as (

    select
        unit_code,
        dossier_id,
        file_id,
        loaded_at,
        -- the earliest first change of the files loaded after this one
        min(first_changed_at) over (
            partition by unit_code, dossier_id
            order by loaded_at desc, file_id desc
            rows between unbounded preceding and 1 preceding
        ) as replaced_from
    from dossier_files

),

kept as (

    select
        history.unit_code,
        history.dossier_id,
        history.file_id,
        history.loaded_at,
        history.status,
        history.changed_at,
        case
            when file_directions.is_latest_first then -history.source_row
            else history.source_row
        end as file_order,
        row_number() over (
            partition by history.unit_code, history.dossier_id, history.status, history.changed_at
            order by history.loaded_at desc, history.file_id desc, history.source_row asc
        ) as copy_rank
    from history
    inner join dossier_file_cutoffs
        on
            history.unit_code = dossier_file_cutoffs.unit_code
            and history.dossier_id = dossier_file_cutoffs.dossier_id
            and history.file_id = dossier_file_cutoffs.file_id
    inner join file_directions
        on history.file_id = file_directions.file_id
    where
        dossier_file_cutoffs.replaced_from is null
        or history.changed_at < dossier_file_cutoffs.replaced_from

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
            order by changed_at asc, loaded_at asc, file_id asc, file_order asc
        ) as change_order,
        lag(status) over (
            partition by unit_code, dossier_id
            order by changed_at asc, loaded_at asc, file_id asc, file_order asc
        ) as previous_status
    from kept
    where copy_rank = 1

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
        max_by(file_id, loaded_at) as file_id,
        max(loaded_at) as loaded_at,
        count(*) as changes,
        count(*) filter (where is_supplement_entry) as supplement_requests,
        min(change_order) filter (where is_supplement_entry) as first_entry_order,
        max(change_order) filter (where not is_end) as last_open_order
    from marked
    group by unit_code, dossier_id

),

milestones as (

    -- the change that ended the dossier (the first end after its last open status) and the
    -- one that completed its first supplement (the first change after the request that is
    -- not waiting), in one pass over its changes
    select
        firsts.unit_code,
        firsts.dossier_id,
        min(marked.change_order) filter (
            where marked.is_end and marked.change_order > coalesce(firsts.last_open_order, 0)
        ) as end_order,
        min(marked.change_order) filter (
            where
            firsts.first_entry_order < marked.change_order
            and marked.status <> 'waiting_supplement'
        ) as completed_order
    from firsts
    inner join marked
        on
            firsts.unit_code = marked.unit_code
            and firsts.dossier_id = marked.dossier_id
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
    left join milestones
        on
            firsts.unit_code = milestones.unit_code
            and firsts.dossier_id = milestones.dossier_id
    left join marked as completing
        on
            milestones.unit_code = completing.unit_code
            and milestones.dossier_id = completing.dossier_id
            and milestones.completed_order = completing.change_order
    left join marked as closing
        on
            milestones.unit_code = closing.unit_code
            and milestones.dossier_id = closing.dossier_id
            and milestones.end_order = closing.change_order

)

select * from final
