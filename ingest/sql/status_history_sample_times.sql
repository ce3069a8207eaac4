-- the first time cells of the staged status history (their format is tried first)
select changed_cell
from temp._history_stage
where changed_cell is not null
limit 50
