-- one row of the staged status history, as written
select
    dossier_id,
    unit_cell,
    status_cell,
    changed_cell
from temp._history_stage
where source_row = $source_row
