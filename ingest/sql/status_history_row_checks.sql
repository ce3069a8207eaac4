-- the first row of the staged status history failing each row check (null: none fails);
-- $scientific_id: a dossier id Excel turned into scientific notation (export_scan.py)
select
    min(source_row) filter (where dossier_id is null) as no_dossier_id,
    min(source_row) filter (
        where regexp_full_match(dossier_id, $scientific_id)
    ) as scientific_dossier_id,
    min(source_row) filter (where unit_cell is null) as no_unit_code,
    min(source_row) filter (where status_cell is null) as no_status,
    min(source_row) filter (where changed_cell is null) as no_changed_at,
    min(source_row) filter (
        where changed_cell is not null and changed_at is null
    ) as bad_changed_at
from temp._history_typed
