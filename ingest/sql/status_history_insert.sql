-- the staged status history into raw.dossier_status_history
insert into raw.dossier_status_history (
    file_id, source_row, unit_code, dossier_id, status, changed_at, loaded_at
)
select
    $file_id,
    source_row,
    unit_code,
    dossier_id,
    status,
    changed_at,
    $loaded_at
from temp._history_typed
