-- the first row of the staged status history holding a status cell
select min(source_row) as source_row
from temp._history_stage
where status_cell = $status_cell
